// Pure read planner: groups points per (unit, table) into the fewest read requests.
import type { ModbusTable } from './schema.js';

/** Protocol limits of one read request (Modbus application protocol v1.1b3, FC1-4). */
export const MAX_REGISTERS_PER_READ = 125;
export const MAX_BITS_PER_READ = 2000;

export interface PlanPoint {
  pointId: string;
  unitId: number;
  table: ModbusTable;
  address: number;
  /** Registers (or bits) the point occupies: 1, or 2 for 32-bit values. */
  width: number;
}

export interface PlannedPoint {
  pointId: string;
  /** Position of the point's first register (bit) inside the request. */
  offset: number;
  width: number;
}

export interface ReadRequest {
  unitId: number;
  table: ModbusTable;
  start: number;
  count: number;
  points: PlannedPoint[];
}

export interface PlanOptions {
  /** Unused registers a holding/input request may span to join two blocks. */
  maxGap: number;
  /** Unused bits a coil/discrete request may span. */
  maxGapBits: number;
}

const TABLE_ORDER: Record<ModbusTable, number> = { holding: 0, input: 1, coil: 2, discrete: 3 };

export function isBitTable(table: ModbusTable): boolean {
  return table === 'coil' || table === 'discrete';
}

/**
 * Merges points whose addresses are contiguous or at most `maxGap` apart into one request,
 * never exceeding the per-request limit and never splitting a 32-bit value across requests.
 * Output is ordered by unit, table (holding, input, coil, discrete), start address.
 */
export function planReads(points: readonly PlanPoint[], options: PlanOptions): ReadRequest[] {
  const sorted = [...points].sort(
    (a, b) =>
      a.unitId - b.unitId ||
      TABLE_ORDER[a.table] - TABLE_ORDER[b.table] ||
      a.address - b.address ||
      b.width - a.width ||
      (a.pointId < b.pointId ? -1 : a.pointId > b.pointId ? 1 : 0),
  );
  const requests: ReadRequest[] = [];
  let current: (ReadRequest & { end: number }) | undefined;
  for (const p of sorted) {
    const bits = isBitTable(p.table);
    const limit = bits ? MAX_BITS_PER_READ : MAX_REGISTERS_PER_READ;
    const gap = bits ? options.maxGapBits : options.maxGap;
    const end = p.address + p.width;
    const joins =
      current !== undefined &&
      current.unitId === p.unitId &&
      current.table === p.table &&
      p.address - current.end <= gap &&
      Math.max(current.end, end) - current.start <= limit;
    if (!joins) {
      current = { unitId: p.unitId, table: p.table, start: p.address, count: 0, points: [], end };
      requests.push(current);
    }
    const c = current!;
    c.end = Math.max(c.end, end);
    c.count = c.end - c.start;
    c.points.push({ pointId: p.pointId, offset: p.address - c.start, width: p.width });
  }
  return requests.map(({ unitId, table, start, count, points: pts }) => ({ unitId, table, start, count, points: pts }));
}
