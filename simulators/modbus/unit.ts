// One simulated Modbus unit (slave): its field values, and how Modbus reads and writes map onto
// them through the unit's datasheet. Protocol framing lives in pdu.ts; behaviour in models/.
import { type FieldDef, type Table, addressesOf, checkDatasheet, isBoolField, readableBlocks } from './datasheet.js';
import { decodeWords, encodeValue } from './encoding.js';

export type FieldValue = number | boolean;

/** Modbus exception codes the simulator answers with. */
export const EXCEPTION = {
  illegalFunction: 0x01,
  illegalDataAddress: 0x02,
  illegalDataValue: 0x03,
  gatewayTargetFailed: 0x0b,
} as const;

export class ModbusException extends Error {
  constructor(
    public readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ModbusException';
  }
}

const TABLES: Table[] = ['coil', 'discrete', 'input', 'holding'];

export class SimUnit {
  readonly fields = new Map<string, FieldDef>();
  private readonly values = new Map<string, FieldValue>();
  private readonly pinned = new Set<string>();
  private readonly byTable = {} as Record<Table, FieldDef[]>;
  private readonly blocks = {} as Record<Table, Array<[number, number]>>;

  constructor(
    readonly unitId: number,
    readonly model: string,
    datasheet: FieldDef[],
  ) {
    const problems = checkDatasheet(datasheet);
    if (problems.length) throw new Error(`unit ${unitId} (${model}) has a broken register map: ${problems.join('; ')}`);
    for (const f of datasheet) {
      this.fields.set(f.id, f);
      this.values.set(f.id, isBoolField(f) ? false : 0);
    }
    for (const t of TABLES) {
      this.byTable[t] = datasheet.filter((f) => f.table === t);
      this.blocks[t] = readableBlocks(datasheet, t);
    }
  }

  field(id: string): FieldDef {
    const f = this.fields.get(id);
    if (!f) throw new Error(`unit ${this.unitId} (${this.model}) has no field "${id}"; it has: ${[...this.fields.keys()].join(', ')}`);
    return f;
  }

  get(id: string): FieldValue {
    this.field(id);
    return this.values.get(id)!;
  }

  /** Set from outside (tests, scenarios): the value sticks — the model's own behaviour no longer changes it until release(). */
  set(id: string, value: FieldValue): void {
    this.checkType(id, value);
    this.values.set(id, value);
    this.pinned.add(id);
  }

  /** Hands fields (all when none named) back to the model's behaviour. */
  release(id?: string): void {
    if (id === undefined) this.pinned.clear();
    else {
      this.field(id);
      this.pinned.delete(id);
    }
  }

  isPinned(id: string): boolean {
    return this.pinned.has(id);
  }

  /** Set by the model's behaviour; ignored while the field is pinned. */
  auto(id: string, value: FieldValue): void {
    this.checkType(id, value);
    if (!this.pinned.has(id)) this.values.set(id, value);
  }

  /** Set by a Modbus client write or a model reacting to one: not pinned. */
  private store(id: string, value: FieldValue): void {
    this.values.set(id, value);
  }

  private checkType(id: string, value: FieldValue): void {
    const f = this.field(id);
    const wantBool = isBoolField(f);
    if (typeof value !== (wantBool ? 'boolean' : 'number') || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new Error(`unit ${this.unitId} field "${id}" takes a ${wantBool ? 'boolean' : 'finite number'}, got ${JSON.stringify(value)}`);
    }
  }

  private checkReadable(table: Table, start: number, count: number): void {
    const end = start + count - 1;
    const inside = this.blocks[table].some(([lo, hi]) => start >= lo && end <= hi);
    if (!inside) {
      throw new ModbusException(EXCEPTION.illegalDataAddress, `${table} ${start}..${end} is not mapped on unit ${this.unitId} (${this.model})`);
    }
  }

  readBits(table: 'coil' | 'discrete', start: number, count: number): boolean[] {
    this.checkReadable(table, start, count);
    const bits = new Array<boolean>(count).fill(false);
    for (const f of this.byTable[table]) {
      if (f.address >= start && f.address < start + count) bits[f.address - start] = this.values.get(f.id) === true;
    }
    return bits;
  }

  readWords(table: 'input' | 'holding', start: number, count: number): number[] {
    this.checkReadable(table, start, count);
    const words = new Array<number>(count).fill(0);
    for (const f of this.byTable[table]) {
      const addrs = addressesOf(f);
      if (addrs[addrs.length - 1] < start || f.address >= start + count) continue;
      const value = this.values.get(f.id)!;
      if (f.bit !== undefined) {
        if (value === true) words[f.address - start] |= 1 << f.bit;
        continue;
      }
      encodeValue(value as number, f).forEach((w, i) => {
        const at = f.address + i - start;
        if (at >= 0 && at < count) words[at] = w;
      });
    }
    return words;
  }

  /** Client write of coils: all-or-nothing. Returns the ids of the fields changed. */
  writeCoils(start: number, states: boolean[]): string[] {
    const targets = states.map((state, i) => {
      const f = this.byTable.coil.find((c) => c.address === start + i);
      if (!f || !f.writable) throw new ModbusException(EXCEPTION.illegalDataAddress, `coil ${start + i} is not writable on unit ${this.unitId} (${this.model})`);
      return { f, state };
    });
    for (const { f, state } of targets) this.store(f.id, state);
    return targets.map((t) => t.f.id);
  }

  /** Client write of holding registers: every touched field must be fully covered, writable and in range. */
  writeRegisters(start: number, words: number[]): string[] {
    const end = start + words.length - 1;
    const touched = this.byTable.holding.filter((f) => {
      const a = addressesOf(f);
      return a[a.length - 1] >= start && f.address <= end;
    });
    const covered = new Set(touched.flatMap(addressesOf));
    for (let a = start; a <= end; a++) {
      if (!covered.has(a)) throw new ModbusException(EXCEPTION.illegalDataAddress, `holding ${a} is not writable on unit ${this.unitId} (${this.model})`);
    }
    const updates = touched.map((f) => {
      const a = addressesOf(f);
      if (!f.writable || f.bit !== undefined) throw new ModbusException(EXCEPTION.illegalDataAddress, `holding ${f.address} (${f.id}) is read-only`);
      if (f.address < start || a[a.length - 1] > end) {
        throw new ModbusException(EXCEPTION.illegalDataValue, `${f.id} spans holding ${f.address}..${a[a.length - 1]}; write all of it at once`);
      }
      const value = decodeWords(words.slice(f.address - start, f.address - start + a.length), f);
      const [lo, hi] = f.writeRange ?? [-Infinity, Infinity];
      if (!(value >= lo && value <= hi)) throw new ModbusException(EXCEPTION.illegalDataValue, `${f.id} accepts ${lo}..${hi}, got ${value}`);
      return { f, value };
    });
    for (const { f, value } of updates) this.store(f.id, value);
    return updates.map((u) => u.f.id);
  }
}
