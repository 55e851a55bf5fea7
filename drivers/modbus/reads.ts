// One poll cycle's reads over an open link: the read plan, serial or pipelined, with the failure
// handling both share (a timed-out unit's other reads skipped, exception 2 splitting a merged read
// into per-point reads, each open problem logged once). The connection owns the socket's life.
import type { DriverLogger } from '../../contracts/driver.js';
import type { Sample } from '../../contracts/point.js';
import { AnswerDecoder, failAll } from './answers.js';
import { classifyFailure } from './errors.js';
import { FairScheduler } from './fair.js';
import type { ModbusLink } from './link.js';
import { planReads, type ReadRequest } from './plan.js';
import type { RuntimePoint } from './runtime.js';
import type { ModbusConnectionOptions } from './schema.js';

export interface ReaderHooks {
  log: DriverLogger;
  /** True once the connection's stop() began: no more reads, no more samples. */
  stopped(): boolean;
  /** Why the link is closed, for the samples of reads it can no longer send. */
  closedDetail(): string;
  /** The device answered, with data or with an exception: the socket works. */
  answered(withData: boolean): void;
}

export interface CycleReads {
  samples: Sample[];
  requests: number;
  /** Reads timed out and nothing at all came back: likely a half-open socket. */
  noAnswer: boolean;
}

export class PlanReader {
  private readonly plan: ReadRequest[];
  private readonly decoder: AnswerDecoder;
  /** Open problems by key (`unit:1`, `req:1/holding/0`) → detail, so each is logged once. */
  private readonly problems = new Map<string, string>();

  constructor(
    private readonly connection: string,
    private readonly link: ModbusLink,
    private readonly options: ModbusConnectionOptions,
    points: readonly RuntimePoint[],
    private readonly hooks: ReaderHooks,
  ) {
    this.plan = planReads(
      points.map((p) => ({ pointId: p.id, unitId: p.unitId, table: p.src.table, address: p.src.address, width: p.src.width })),
      options,
    );
    this.decoder = new AnswerDecoder(new Map(points.map((p) => [p.id, p])));
  }

  /** Read requests per poll cycle (for tests and benchmarks). */
  get requests(): number {
    return this.plan.length;
  }

  readAll(): Promise<CycleReads> {
    return (this.options.maxInFlight ?? 1) > 1 && this.link.pipelines ? this.readAllPipelined() : this.readAllSerial();
  }

  private async readAllSerial(): Promise<CycleReads> {
    const samples: Sample[] = [];
    const silentUnits = new Map<number, string>();
    let requests = 0;
    let answered = false;
    let timeouts = 0;
    for (let i = 0; i < this.plan.length; i++) {
      const req = this.plan[i];
      const skip = silentUnits.get(req.unitId) ?? (this.link.isOpen ? undefined : this.hooks.closedDetail());
      if (skip !== undefined) {
        failAll(samples, req, 'comm_fail', skip);
        continue;
      }
      requests++;
      try {
        const data = await this.link.readRaw(req.unitId, req.table, req.start, req.count);
        answered = true;
        this.hooks.answered(true);
        this.onData(samples, req, data);
      } catch (err) {
        if (this.hooks.stopped()) break;
        const failure = classifyFailure(err, this.options.timeoutMs);
        if (failure.kind === 'exception') {
          answered = true;
          this.hooks.answered(false);
          if (failure.code === 2 && this.splitPerPoint(req)) {
            i--; // read the same points again, one request each, right now
            continue;
          }
          this.problem(reqKey(req), `${describe(req)}: ${failure.detail}`);
        } else if (failure.kind === 'timeout') {
          timeouts++;
          const detail = `unit ${req.unitId}: ${failure.detail}`;
          silentUnits.set(req.unitId, detail); // its other requests would time out too
          this.problem(`unit:${req.unitId}`, detail);
          failAll(samples, req, failure.quality, detail);
          continue;
        } else if (failure.kind === 'other') {
          this.problem(reqKey(req), `${describe(req)}: ${failure.detail}`);
        }
        failAll(samples, req, failure.quality, failure.detail);
      }
    }
    return { samples, requests, noAnswer: timeouts > 0 && !answered };
  }

  /**
   * The same cycle with up to maxInFlight reads on the socket at once (answers matched by MBAP
   * transaction id), units served round-robin with at most maxInFlightPerUnit each (fair.ts).
   * Failure handling is the serial path's: a timed-out unit's remaining reads are skipped as
   * comm_fail, an exception 2 splits the read into per-point reads, no answer at all drops the socket.
   */
  private async readAllPipelined(): Promise<CycleReads> {
    const samples: Sample[] = [];
    const sched = new FairScheduler(this.plan, { maxInFlight: this.options.maxInFlight ?? 1, perUnit: this.options.maxInFlightPerUnit ?? 1 });
    let requests = 0;
    let answered = false;
    let timeouts = 0;
    await new Promise<void>((done) => {
      const settle = (req: ReadRequest) => {
        sched.done(req.unitId);
        pump();
      };
      const onAnswer = (req: ReadRequest, data: Buffer | boolean[]) => {
        answered = true;
        this.hooks.answered(true);
        if (!this.hooks.stopped()) this.onData(samples, req, data);
        settle(req);
      };
      const onFailure = (req: ReadRequest, err: unknown) => {
        if (this.hooks.stopped()) return settle(req);
        const failure = classifyFailure(err, this.options.timeoutMs);
        if (failure.kind === 'exception') {
          answered = true;
          this.hooks.answered(false);
          const single = failure.code === 2 ? this.splitPerPoint(req) : null;
          if (single) {
            for (const r of single) sched.add(r); // read the same points again, one request each, right now
            return settle(req);
          }
          this.problem(reqKey(req), `${describe(req)}: ${failure.detail}`);
        } else if (failure.kind === 'timeout') {
          timeouts++;
          const detail = `unit ${req.unitId}: ${failure.detail}`;
          this.problem(`unit:${req.unitId}`, detail);
          failAll(samples, req, failure.quality, detail);
          for (const skipped of sched.dropUnit(req.unitId)) failAll(samples, skipped, 'comm_fail', detail); // they would time out too
          return settle(req);
        } else if (failure.kind === 'other') {
          this.problem(reqKey(req), `${describe(req)}: ${failure.detail}`);
        }
        failAll(samples, req, failure.quality, failure.detail);
        settle(req);
      };
      const pump = () => {
        for (let req = sched.next(); req !== undefined; req = sched.next()) {
          const r = req;
          if (this.hooks.stopped() || !this.link.isOpen) {
            if (!this.hooks.stopped()) failAll(samples, r, 'comm_fail', this.hooks.closedDetail());
            sched.done(r.unitId);
            continue;
          }
          requests++;
          this.link.readRaw(r.unitId, r.table, r.start, r.count).then(
            (data) => onAnswer(r, data),
            (err: unknown) => onFailure(r, err),
          );
        }
        if (sched.running === 0) done();
      };
      pump();
    });
    return { samples, requests, noAnswer: timeouts > 0 && !answered };
  }

  private onData(samples: Sample[], req: ReadRequest, data: Buffer | boolean[]): void {
    this.decoder.decodeInto(samples, req, data);
    this.resolved(`unit:${req.unitId}`, `unit ${req.unitId} answers again`);
    this.resolved(reqKey(req), `${describe(req)} reads again`);
  }

  /**
   * A merged read spanning unused registers can be refused as a whole (exception 2) by devices
   * with holes in their map. Replace it by one read per point so the good points still read.
   */
  private splitPerPoint(req: ReadRequest): ReadRequest[] | null {
    const starts = new Set(req.points.map((p) => p.offset));
    const index = this.plan.indexOf(req);
    if (starts.size < 2 || index < 0) return null;
    const single = planReads(
      req.points.map((p) => ({ pointId: p.pointId, unitId: req.unitId, table: req.table, address: req.start + p.offset, width: p.width })),
      { maxGap: -1, maxGapBits: -1 }, // -1: only points sharing a register (bits) stay together
    );
    this.plan.splice(index, 1, ...single);
    this.decoder.forget(req);
    this.hooks.log.warn({ connection: this.connection, request: describe(req), requests: single.length }, 'modbus read refused with exception 2; reading its points one by one from now on');
    return single;
  }

  private problem(key: string, detail: string): void {
    if (this.problems.get(key) === detail) return;
    this.problems.set(key, detail);
    this.hooks.log.warn({ connection: this.connection, detail }, 'modbus read failing');
  }

  private resolved(key: string, message: string): void {
    if (!this.problems.delete(key)) return;
    this.hooks.log.info({ connection: this.connection }, message);
  }
}

function reqKey(req: ReadRequest): string {
  return `req:${req.unitId}/${req.table}/${req.start}`;
}

function describe(req: ReadRequest): string {
  return `unit ${req.unitId} ${req.table} ${req.start}..${req.start + req.count - 1}`;
}
