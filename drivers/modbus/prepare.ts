// Checks a write against the point before anything is sent, and turns it into what to send.
import { DriverWriteError } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import type { PreparedWrite, RuntimePoint } from './runtime.js';
import { encodeRegisters, toBoolean } from './decode.js';

export function prepareWrite(p: RuntimePoint, value: PointValue): PreparedWrite {
  if (!p.info.writable) throw new DriverWriteError('not_writable', `${p.id} is not writable`);
  const { table } = p.src;
  if (table === 'input' || table === 'discrete') {
    throw new DriverWriteError('not_writable', `${p.id} reads ${table === 'input' ? 'an input register' : 'a discrete input'}, which is read-only`);
  }
  if (table === 'coil') return { kind: 'coil', on: toBoolean(value) };
  if (p.src.bit !== undefined) return { kind: 'bit', on: toBoolean(value) };
  if (p.src.type !== 'bool' && p.src.type !== 'string') {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new DriverWriteError('invalid_value', `${p.id} takes a finite number, got ${JSON.stringify(value)}`);
    }
    const { min, max } = p.info.limits ?? {};
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      throw new DriverWriteError('invalid_value', `value ${value} outside the limits of ${p.id}: must be ${min ?? '-∞'}..${max ?? '∞'}`);
    }
  }
  try {
    return { kind: 'words', words: encodeRegisters(value, p.src) };
  } catch (err) {
    if (err instanceof DriverWriteError) throw new DriverWriteError(err.code, `${p.id}: ${err.message}`);
    throw err;
  }
}
