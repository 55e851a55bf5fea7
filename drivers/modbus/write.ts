// One write on the wire, chosen by what was prepared and how the point is configured, followed
// by a read of the same registers: the driver contract confirms every write by read-back.
import { decodeRegisters, setBit } from './decode.js';
import type { ModbusLink } from './link.js';
import type { PreparedWrite, RuntimePoint } from './runtime.js';

export interface WriteOutcome {
  expected: number | boolean | string;
  readBack: number | boolean | string;
}

export async function writeAndReadBack(link: ModbusLink, p: RuntimePoint, prepared: PreparedWrite): Promise<WriteOutcome> {
  const { table, address, width } = p.src;
  if (prepared.kind === 'coil') {
    await link.writeCoil(p.unitId, address, prepared.on);
    return { expected: prepared.on, readBack: (await link.read(p.unitId, 'coil', address, 1))[0] === true };
  }
  if (prepared.kind === 'bit' && p.src.maskWrite) {
    // FC22: the device flips the one bit itself, so a concurrent change of the other bits survives.
    const mask = setBit(0xffff, p.src, false);
    await link.maskWrite(p.unitId, address, mask, prepared.on ? setBit(0, p.src, true) : 0);
    return { expected: prepared.on, readBack: decodeRegisters((await link.read(p.unitId, table, address, 1)) as number[], p.src) };
  }
  if (prepared.kind === 'bit') {
    const [word] = (await link.read(p.unitId, table, address, 1)) as number[];
    await link.writeRegisters(p.unitId, address, [setBit(word, p.src, prepared.on)]);
    return { expected: prepared.on, readBack: decodeRegisters((await link.read(p.unitId, table, address, 1)) as number[], p.src) };
  }
  if (p.src.readWrite) {
    // FC23: write and read back in one transaction (one turnaround on a slow RTU line).
    const expected = decodeRegisters(prepared.words, p.src);
    return { expected, readBack: decodeRegisters(await link.readWrite(p.unitId, address, width, address, prepared.words), p.src) };
  }
  await link.writeRegisters(p.unitId, address, prepared.words);
  const expected = decodeRegisters(prepared.words, p.src);
  return { expected, readBack: decodeRegisters((await link.read(p.unitId, table, address, width)) as number[], p.src) };
}
