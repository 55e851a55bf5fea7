// One configured connection (endpoint) at run time: its socket, its poll loop, its request
// queue, its state. Every device (unit id) and point behind the endpoint shares them. What one
// cycle reads is reads.ts (decoded by answers.ts); what a write sends is write.ts.
import { performance } from 'node:perf_hooks';
import { DriverWriteError, type ConnectionState, type ConnectionStatus, type DriverLogger, type WriteResult } from '../../contracts/driver.js';
import type { Quality, Sample } from '../../contracts/point.js';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { connectDue, reconnectDelay } from '../backoff.js';
import { classifyFailure } from './errors.js';
import { ModbusLink } from './link.js';
import { SerialQueue } from './queue.js';
import { PlanReader } from './reads.js';
import type { PreparedWrite, RuntimePoint } from './runtime.js';
import type { ModbusConnectionOptions } from './schema.js';
import { writeAndReadBack } from './write.js';

export interface CycleInfo {
  connection: string;
  /** performance.now() when the cycle was due, and when it started. */
  scheduledAt: number;
  startedAt: number;
  durationMs: number;
  requests: number;
  samples: number;
}

export interface ConnectionHooks {
  /** Already guarded by the driver: a no-op once stop() began. */
  publish(batch: Sample[]): void;
  status(status: ConnectionStatus): void;
  log: DriverLogger;
  onCycle?: (cycle: CycleInfo) => void;
}

/** How often an unchanged online status is re-sent with a fresh lastCycleMs. */
const STATUS_REFRESH_MS = 10_000;

export class ModbusConnection {
  private readonly link: ModbusLink;
  private readonly queue = new SerialQueue();
  private readonly points = new Map<string, RuntimePoint>();
  private readonly reader: PlanReader;
  private state: ConnectionState = 'stopped';
  private stateDetail: string | undefined;
  private since = Date.now();
  private lastStatusAt = 0;
  private lastCycleMs: number | undefined;
  private overrunning = false;
  private timer: NodeJS.Timeout | undefined;
  private nextDue = 0;
  /** Added once, to the second cycle's due time: spreads the connections' polls over the interval. */
  private phaseMs = 0;
  private stopped = true;
  private connectFailures = 0;
  private everConnected = false;
  private answeredSinceConnect = false;
  private nextConnectAt = 0;

  constructor(
    readonly id: string,
    private readonly options: ModbusConnectionOptions,
    points: RuntimePoint[],
    private readonly hooks: ConnectionHooks,
  ) {
    for (const p of points) this.points.set(p.id, p);
    this.link = new ModbusLink({ transport: options.transport, serial: options.serial, host: options.host, port: options.port, timeoutMs: options.timeoutMs });
    this.link.onLost = (reason) => this.lost(reason);
    this.reader = new PlanReader(id, this.link, options, points, {
      log: hooks.log,
      stopped: () => this.stopped,
      closedDetail: () => this.stateDetail ?? 'connection lost',
      answered: (withData) => {
        this.answeredSinceConnect = true;
        if (withData) this.connectFailures = 0;
      },
    });
  }

  get pollMs(): number {
    return this.options.pollMs;
  }

  /** Read requests per poll cycle (for tests and benchmarks). */
  get requestsPerCycle(): number {
    return this.reader.requests;
  }

  /**
   * The first cycle runs at once (first values as soon as possible); from the second on, the cycle runs
   * `phaseMs` later in the interval, so that many connections do not all poll in the same moment.
   */
  start(phaseMs = 0): void {
    this.stopped = false;
    this.phaseMs = phaseMs;
    this.setState('connecting', `connecting to ${this.link.endpoint}`);
    this.nextDue = performance.now();
    this.timer = setTimeout(this.tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.link.close('driver stopped'); // fails the request in flight, so the queue drains now
    await this.queue.idle();
    this.setState('stopped', undefined);
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    const scheduledAt = this.nextDue;
    this.queue
      .run(() => this.cycle(scheduledAt))
      .catch((err: unknown) => this.hooks.log.error({ err, connection: this.id }, 'modbus poll cycle failed'))
      .finally(() => this.scheduleNext());
  };

  /** Fixed cadence; a cycle that overran is followed right away and the cadence re-anchors. */
  private scheduleNext(): void {
    if (this.stopped) return;
    const now = performance.now();
    this.nextDue += this.options.pollMs + this.phaseMs;
    this.phaseMs = 0;
    if (this.nextDue < now) this.nextDue = now;
    this.timer = setTimeout(this.tick, this.nextDue - now);
  }

  private async cycle(scheduledAt: number): Promise<void> {
    const startedAt = performance.now();
    if (!this.link.isOpen) await this.tryConnect();
    if (this.stopped) return;
    let samples: Sample[];
    let requests = 0;
    if (this.link.isOpen) ({ samples, requests } = await this.readAll());
    else samples = this.allPoints('comm_fail', this.stateDetail ?? 'not connected');
    if (this.stopped) return;
    const durationMs = performance.now() - startedAt;
    this.lastCycleMs = Math.round(durationMs * 10) / 10;
    this.hooks.publish(samples);
    this.hooks.onCycle?.({ connection: this.id, scheduledAt, startedAt, durationMs, requests, samples: samples.length });
    if (this.state !== 'online') return;
    const overran = durationMs > this.options.pollMs;
    if (overran !== this.overrunning) {
      // Worth a status of its own: the data is older than the configured poll interval says.
      this.overrunning = overran;
      const detail = `poll cycle took ${Math.round(durationMs)} ms, longer than pollMs ${this.options.pollMs}`;
      if (overran) this.hooks.log.warn({ connection: this.id, durationMs: Math.round(durationMs) }, 'modbus poll cycle overruns its interval');
      else this.hooks.log.info({ connection: this.id }, 'modbus poll cycle fits its interval again');
      this.stateDetail = overran ? detail : undefined;
      this.sendStatus();
    } else if (Date.now() - this.lastStatusAt >= STATUS_REFRESH_MS) {
      this.sendStatus();
    }
  }

  private async tryConnect(): Promise<void> {
    if (!connectDue(Date.now(), this.nextConnectAt, this.options.pollMs)) return;
    const attemptAt = Date.now();
    try {
      await this.link.open();
    } catch (err) {
      if (this.stopped) return;
      const reason = err instanceof Error ? err.message : String(err);
      // A refused or unanswered connect is a cheap probe: backoff, but never longer than the poll
      // interval, so a device that is back shows good within two intervals (drivers/backoff.ts).
      const delay = reconnectDelay(this.connectFailures++, { ...(this.options.backoff ?? DEFAULT_BACKOFF), probeCapMs: this.options.pollMs });
      this.nextConnectAt = attemptAt + delay;
      if (this.state !== 'offline') this.hooks.log.warn({ connection: this.id, reason }, 'modbus connection offline');
      else this.hooks.log.debug({ connection: this.id, reason, retryInMs: delay }, 'modbus reconnect failed');
      this.setState('offline', reason);
      return;
    }
    if (this.stopped) {
      this.link.close('driver stopped');
      return;
    }
    const where = { connection: this.id, endpoint: this.link.endpoint };
    if (this.state === 'offline') this.hooks.log.info(where, 'modbus connection back online');
    else if (!this.everConnected) this.hooks.log.info(where, 'modbus connected');
    else this.hooks.log.debug(where, 'modbus reconnected'); // a dropped socket replaced at once is not news
    this.everConnected = true;
    this.answeredSinceConnect = false;
    this.setState('online', undefined);
  }

  /** The socket went away by itself: reconnect at the next cycle without waiting for backoff. */
  private lost(reason: string): void {
    if (this.stopped) return;
    // Reconnect at once after a socket that worked; back off from one that drops before any answer
    // (a gateway that accepts and hangs up), so a flapping endpoint is not hammered every poll.
    if (this.answeredSinceConnect) {
      this.connectFailures = 0;
      this.nextConnectAt = 0;
    } else {
      this.nextConnectAt = Date.now() + backoffDelay(this.connectFailures++, this.options.backoff ?? DEFAULT_BACKOFF);
    }
    this.hooks.log.debug({ connection: this.id, reason }, 'modbus connection lost, reconnecting');
    this.setState('connecting', reason);
  }

  private async readAll(): Promise<{ samples: Sample[]; requests: number }> {
    const { samples, requests, noAnswer } = await this.reader.readAll();
    // Nothing at all came back: likely a half-open socket. Start over with a fresh one.
    if (noAnswer && this.link.isOpen) {
      this.link.close('no answer to any request');
      this.lost('no answer to any request');
    }
    return { samples, requests };
  }

  private allPoints(quality: Quality, detail: string): Sample[] {
    const readTs = Date.now();
    return [...this.points.keys()].map((pointId) => ({ pointId, value: null, quality, detail, readTs }));
  }

  /** Writes a prepared value, reads it back, and publishes the read-back sample. */
  write(p: RuntimePoint, prepared: PreparedWrite): Promise<WriteResult> {
    return this.queue.run(async () => {
      if (this.stopped) throw new DriverWriteError('offline', 'driver stopped');
      if (!this.link.isOpen) throw new DriverWriteError('offline', `connection ${this.id} is not connected: ${this.stateDetail ?? 'connecting'}`);
      try {
        const { expected, readBack } = await writeAndReadBack(this.link, p, prepared);
        const confirmed = Object.is(expected, readBack);
        this.hooks.publish([{ pointId: p.id, value: readBack, quality: 'good', readTs: Date.now() }]);
        return confirmed
          ? { confirmed, readBack }
          : { confirmed, readBack, detail: `device reads back ${String(readBack)} after writing ${String(expected)}` };
      } catch (err) {
        if (err instanceof DriverWriteError) throw err;
        const failure = classifyFailure(err, this.options.timeoutMs);
        const code = failure.kind === 'timeout' ? 'timeout' : failure.kind === 'closed' ? 'offline' : 'device_error';
        throw new DriverWriteError(code, `write ${p.id} (unit ${p.unitId} ${p.src.table} ${p.src.address}): ${failure.detail}`);
      }
    });
  }

  /** Reports only real transitions: a retry failing for a new reason is not news. */
  private setState(state: ConnectionState, detail: string | undefined): void {
    this.stateDetail = detail;
    if (state === this.state) return;
    this.state = state;
    this.overrunning = false;
    this.since = Date.now();
    this.sendStatus();
  }

  private sendStatus(): void {
    this.lastStatusAt = Date.now();
    this.hooks.status({
      connection: this.id,
      protocol: 'modbus',
      state: this.state,
      ...(this.stateDetail !== undefined ? { detail: this.stateDetail } : {}),
      since: this.since,
      ...(this.lastCycleMs !== undefined ? { lastCycleMs: this.lastCycleMs } : {}),
    });
  }
}
