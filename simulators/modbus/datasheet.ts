// A device model's register map ("datasheet"): which semantic field sits where, and how it is
// encoded. The same rows describe the point for the demo config generator, so the config and
// the simulator cannot drift apart.
import { type Encoding, wordCount } from './encoding.js';

export type Table = 'coil' | 'discrete' | 'input' | 'holding';

export interface Localized {
  en: string;
  'zh-CN': string;
}

export interface FieldDef extends Encoding {
  /** Semantic name used by set()/get() and scenarios; also the point id in the config. */
  id: string;
  table: Table;
  /** 0-based PDU address. */
  address: number;
  /** A flag inside a 16-bit register (0 = least significant bit). */
  bit?: number;
  /** Clients may write it (coils, holding registers). */
  writable?: boolean;
  /** Values a client may write; anything else answers exception 03 (Illegal Data Value). */
  writeRange?: [number, number];
  /** Description of the point for the config generator. */
  name: Localized;
  unit?: string;
  brick?: string;
  limits?: { min?: number; max?: number };
}

export function isBitTable(table: Table): boolean {
  return table === 'coil' || table === 'discrete';
}

/** A field holds a boolean if it lives in a bit table or is a bit of a register. */
export function isBoolField(f: FieldDef): boolean {
  return isBitTable(f.table) || f.bit !== undefined;
}

/** Addresses a field occupies in its table. */
export function addressesOf(f: FieldDef): number[] {
  const n = isBoolField(f) ? 1 : wordCount(f.type);
  return Array.from({ length: n }, (_, i) => f.address + i);
}

/** Checks a register map for mistakes a real datasheet would never have. Returns problems, empty when fine. */
export function checkDatasheet(fields: FieldDef[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  // "table:address" → the word's owner, or the owners of its bits when it is a bit field.
  const used = new Map<string, { word?: string; bits?: Map<number, string> }>();
  for (const f of fields) {
    if (ids.has(f.id)) problems.push(`field ${f.id} is defined twice`);
    ids.add(f.id);
    if (isBitTable(f.table) && f.type !== 'bool') problems.push(`field ${f.id}: ${f.table} holds bools, not ${f.type}`);
    if (!isBitTable(f.table) && f.type === 'bool' && f.bit === undefined) problems.push(`field ${f.id}: a bool in a register needs a bit`);
    if (f.writable && (f.table === 'input' || f.table === 'discrete')) problems.push(`field ${f.id}: ${f.table} is read-only`);
    for (const a of addressesOf(f)) {
      const key = `${f.table}:${a}`;
      const slot = used.get(key) ?? {};
      used.set(key, slot);
      if (f.bit === undefined) {
        const other = slot.word ?? (slot.bits && [...slot.bits.values()][0]);
        if (other) problems.push(`field ${f.id} overlaps ${other} at ${key}`);
        slot.word = f.id;
      } else {
        const other = slot.word ?? slot.bits?.get(f.bit);
        if (other) problems.push(`field ${f.id} overlaps ${other} at ${key} bit ${f.bit}`);
        (slot.bits ??= new Map()).set(f.bit, f.id);
      }
    }
  }
  return problems;
}

/**
 * Address blocks a client may read, per table: the mapped addresses, merged when the gap between
 * them is small. Reserved registers inside a block read as 0; anything outside answers exception 02,
 * like real meters that document a few contiguous register blocks.
 */
export function readableBlocks(fields: FieldDef[], table: Table, maxGap = 8): Array<[number, number]> {
  const addrs = [...new Set(fields.filter((f) => f.table === table).flatMap(addressesOf))].sort((a, b) => a - b);
  const blocks: Array<[number, number]> = [];
  for (const a of addrs) {
    const last = blocks[blocks.length - 1];
    if (last && a - last[1] <= maxGap) last[1] = a;
    else blocks.push([a, a]);
  }
  return blocks;
}
