// The hub's Sparkplug B host application: subscribes to the edge agents' messages, maps metrics
// (by name in births, by alias in data) back to points and hands them to the remote drivers
// (hub/edge/remote.ts), which publish them into ingest like any local driver. An edge's NDEATH
// (its MQTT will, or a clean stop) or a DDEATH turns all of its points `comm_fail` at once; so does
// losing the broker. Commands go out as DCMD and wait for the edge's `Command/Result`.
import type { MqttClient } from 'mqtt';
import { loadMqtt, loadedMqtt } from '../../drivers/mqtt/load.js';
import { randomUUID } from 'node:crypto';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { DriverWriteError, type BoundPoint, type ConnectionStatus, type WriteResult } from '../../contracts/driver.js';
import type { PointValue, Sample } from '../../contracts/point.js';
import {
  BDSEQ, COMMAND_ID, stateTopic, statePayload, COMMAND_RESULT, REBIRTH, STATUS_METRIC, datatypeOf, decode, encode, metricSample, parseCommandResult, parseStatus, parseTopic, sparkplugTopic,
  type CommandResult,
} from '../../drivers/mqtt/sparkplug.js';
import type { HubLogger } from '../ports.js';
import { SampleDedup } from './dedup.js';

export interface EdgeHostOptions {
  group: string;
  broker: { url: string; username?: string; password?: string; ca?: Buffer; keepaliveS: number };
  /** Points served by edges, with their building (= Sparkplug edge node). */
  points: Array<{ point: BoundPoint; building: string }>;
  /** Buildings this hub takes data from; default all edge buildings. */
  buildings?: readonly string[];
  /** Shared-subscription group: several hubs split the data messages (births/deaths reach every hub). */
  shareGroup?: string;
  commandTimeoutMs: number;
  /** Several hubs: who owns which building (hub/edge/lease.ts); started with the first attach. */
  ownership?: { start(onChange: (owned: readonly string[]) => void): Promise<void>; stop(): Promise<void> };
  /** Sparkplug 3.0 primary host id: a retained STATE message (online; the will says offline). */
  hostId?: string;
  log: HubLogger;
  clientId?: string;
}

/** What the remote drivers receive. */
export interface EdgeSink {
  samples(batch: Sample[], historical: boolean): void;
  status(s: ConnectionStatus): void;
}

interface NodeState {
  alive: boolean;
  bdSeq?: number;
  lastSeq?: number;
  aliases: Map<number, string>;
  lastRebirthAsk: number;
}

export interface EdgeNodeView {
  building: string;
  alive: boolean;
  bdSeq?: number;
  seqGaps: number;
}

export class EdgeHost {
  private client: MqttClient | null = null;
  private readonly sinks = new Map<string, EdgeSink>();
  private readonly pointById = new Map<string, { point: BoundPoint; building: string }>();
  private readonly nodes = new Map<string, NodeState>();
  private readonly pending = new Map<string, { resolve(r: CommandResult): void; timer: NodeJS.Timeout }>();
  private readonly connectionsOf = new Map<string, Set<string>>();
  private seqGaps = new Map<string, number>();
  private users = 0;
  private owned: Set<string>;
  private brokerUp = false;
  /** Samples received (live / historical), for health and the bench. */
  readonly counters = { live: 0, historical: 0, deaths: 0, rebirthRequests: 0 };
  /** Each (point, readTs) is passed on once (hub/edge/dedup.ts); `dedup.dropped` counts the repeats. */
  readonly dedup = new SampleDedup();

  constructor(private readonly o: EdgeHostOptions) {
    for (const e of o.points) {
      this.pointById.set(e.point.info.id, e);
      let set = this.connectionsOf.get(e.building);
      if (!set) this.connectionsOf.set(e.building, (set = new Set()));
      set.add(e.point.connection);
    }
    for (const b of this.connectionsOf.keys()) this.nodes.set(b, { alive: false, aliases: new Map(), lastRebirthAsk: 0 });
    this.owned = new Set(o.buildings ?? this.connectionsOf.keys());
  }

  private readonly buildingListeners = new Set<(owned: readonly string[]) => void>();
  private readonly birthListeners = new Set<(pointIds: readonly string[]) => void>();
  private takeGate: ((buildings: readonly string[]) => Promise<void>) | undefined;
  /** The buildings the leases say this hub should own (owned once their take-gate passed). */
  private wanted = new Set<string>();

  /**
   * Runs before this hub takes a building's data (several hubs: the alarms adopt the states the
   * previous owner handed on, so the rebirth does not journal them again). Returns the remover.
   */
  setTakeGate(gate: (buildings: readonly string[]) => Promise<void>): () => void {
    this.takeGate = gate;
    return () => {
      if (this.takeGate === gate) this.takeGate = undefined;
    };
  }

  /** Called with the point ids of each DBIRTH once they are ingested (their values restated). */
  onBirth(listener: (pointIds: readonly string[]) => void): () => void {
    this.birthListeners.add(listener);
    return () => this.birthListeners.delete(listener);
  }

  /** Called when the buildings this hub takes data from change (lease hand-over). */
  onBuildings(listener: (owned: readonly string[]) => void): () => void {
    this.buildingListeners.add(listener);
    return () => this.buildingListeners.delete(listener);
  }

  /** The buildings this hub takes data from now. */
  buildings(): string[] {
    return [...this.owned];
  }

  /**
   * Changes the buildings this hub takes data from (lease hand-over, hub/edge/lease.ts): subscribes to
   * the new ones and asks their edges for births (current values), unsubscribes from the lost ones.
   */
  setBuildings(next: readonly string[]): void {
    const want = (this.wanted = new Set(next.filter((b) => this.nodes.has(b))));
    const added = [...want].filter((b) => !this.owned.has(b));
    const removed = [...this.owned].filter((b) => !want.has(b));
    for (const b of removed) this.owned.delete(b);
    if (removed.length) this.dropBuildings(removed);
    if (added.length === 0) return;
    const gate = this.takeGate?.(added) ?? Promise.resolve();
    void gate.catch((err: Error) => this.o.log.warn({ err: err.message }, 'edge host: take-over gate failed')).then(() => {
      // Lost again while the gate ran: not taken.
      const taken = added.filter((b) => this.wanted.has(b) && !this.owned.has(b));
      for (const b of taken) this.owned.add(b);
      for (const l of this.buildingListeners) l(this.buildings());
      const c = this.client;
      if (taken.length && c?.connected) c.subscribe(taken.flatMap((b) => this.topicsOf(b)), { qos: 1 }, () => taken.forEach((b) => this.askRebirth(b, true)));
    });
  }

  private dropBuildings(removed: readonly string[]): void {
    // Not followed any more: a later take-over's birth must restore these points.
    for (const e of this.pointById.values()) if (removed.includes(e.building)) this.dedup.forget(e.point.info.id);
    for (const l of this.buildingListeners) l(this.buildings());
    const c = this.client;
    if (!c?.connected) return;
    c.unsubscribe(removed.flatMap((b) => this.topicsOf(b)));
    for (const b of removed) {
      const n = this.nodes.get(b)!;
      n.alive = false;
      n.aliases.clear();
    }
  }

  private topicsOf(b: string): string[] {
    const g = this.o.group;
    const share = this.o.shareGroup ? `$share/${this.o.shareGroup}/` : '';
    // Births and deaths reach every hub (each needs the alias map and the liveness); data may be shared.
    return [
      sparkplugTopic(g, 'NBIRTH', b), sparkplugTopic(g, 'NDEATH', b), sparkplugTopic(g, 'DBIRTH', b, '+'), sparkplugTopic(g, 'DDEATH', b, '+'),
      `${share}${sparkplugTopic(g, 'NDATA', b)}`, `${share}${sparkplugTopic(g, 'DDATA', b, '+')}`,
    ];
  }

  has(pointId: string): boolean {
    return this.pointById.has(pointId);
  }

  nodeViews(): EdgeNodeView[] {
    return [...this.nodes.entries()].map(([building, n]) => ({ building, alive: n.alive, bdSeq: n.bdSeq, seqGaps: this.seqGaps.get(building) ?? 0 }));
  }

  /** A remote driver attaches the sink of its protocol; the first one connects to the broker. */
  attach(protocol: string, sink: EdgeSink): void {
    this.sinks.set(protocol, sink);
    if (this.users++ === 0) {
      this.connect();
      this.o.ownership?.start((owned) => this.setBuildings(owned)).catch((err: Error) => this.o.log.warn({ err: err.message }, 'edge host: building leases did not start'));
    }
    // Until an edge is born its points are not live.
    for (const b of this.buildings()) this.markDead(b, undefined, 'edge agent not heard yet', 'connecting');
  }

  async detach(protocol: string): Promise<void> {
    this.sinks.delete(protocol);
    if (--this.users > 0) return;
    await this.o.ownership?.stop().catch(() => {});
    const c = this.client;
    this.client = null;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    if (c?.connected && this.o.hostId) await c.publishAsync(stateTopic(this.o.hostId), statePayload(false), { qos: 1, retain: true }).catch(() => {});
    await c?.endAsync(true).catch(() => {});
  }

  private connect(): void {
    const mqtt = loadedMqtt();
    if (!mqtt) {
      // First use: load mqtt.js, then connect unless every driver detached meanwhile.
      loadMqtt().then(() => this.users > 0 && !this.client && this.connect(), (err: Error) => this.o.log.error({ err: err.message }, 'edge host: mqtt.js did not load'));
      return;
    }
    const { broker, group } = this.o;
    const c = mqtt.connect(broker.url, {
      clientId: this.o.clientId ?? `wf-hub-${randomUUID().slice(0, 8)}`,
      username: broker.username, password: broker.password, ca: broker.ca,
      keepalive: broker.keepaliveS, clean: true, reconnectPeriod: 1000, connectTimeout: 5000,
      ...(this.o.hostId ? { will: { topic: stateTopic(this.o.hostId), payload: statePayload(false), qos: 1 as const, retain: true } } : {}),
    });
    this.client = c;
    c.on('connect', () => {
      this.brokerUp = true;
      // Primary host online (retained): edges send births, replay and data only while it is, so it is
      // said only once the subscriptions stand (a replay into no subscriber would be lost).
      const online = () => {
        if (this.o.hostId) c.publish(stateTopic(this.o.hostId), statePayload(true), { qos: 1, retain: true });
      };
      const subs = this.buildings().flatMap((b) => this.topicsOf(b));
      if (subs.length === 0) return online();
      c.subscribe(subs, { qos: 1 }, (err) => {
        if (err) return this.o.log.warn({ err: err.message }, 'edge host: subscribe refused');
        online();
        // Hub (re)started or reconnected: ask every edge for its births, so aliases and values are current.
        for (const b of this.buildings()) this.askRebirth(b, true);
      });
    });
    c.on('close', () => {
      // Once per outage (mqtt.js closes again on every failed reconnect attempt).
      if (!this.brokerUp) return;
      this.brokerUp = false;
      for (const b of this.buildings()) this.markDead(b, undefined, 'MQTT broker unreachable from the hub', 'offline');
    });
    c.on('error', (err) => this.o.log.warn({ err: err.message }, 'edge host: mqtt error'));
    c.on('message', (topic, payload) => this.onMessage(topic, payload));
  }

  private askRebirth(building: string, force = false): void {
    const n = this.nodes.get(building);
    if (!n || !this.client?.connected) return;
    const now = Date.now();
    if (!force && now - n.lastRebirthAsk < 5000) return;
    n.lastRebirthAsk = now;
    this.counters.rebirthRequests++;
    this.client.publish(sparkplugTopic(this.o.group, 'NCMD', building), encode({ timestamp: now, metrics: [{ name: REBIRTH, type: 'Boolean', value: true }] }), { qos: 1 });
  }

  /** Every point of `building` (or of one connection of it) `comm_fail`, and the connections' status. */
  private markDead(building: string, connection: string | undefined, detail: string, state: ConnectionStatus['state']): void {
    const n = this.nodes.get(building);
    if (n && connection === undefined) n.alive = false;
    const now = Date.now();
    const byProtocol = new Map<string, Sample[]>();
    for (const e of this.pointById.values()) {
      if (e.building !== building || (connection !== undefined && e.point.connection !== connection)) continue;
      this.dedup.forget(e.point.info.id);
      const list = byProtocol.get(e.point.info.protocol) ?? [];
      byProtocol.set(e.point.info.protocol, list);
      list.push({ pointId: e.point.info.id, value: null, quality: 'comm_fail', detail, readTs: now });
    }
    for (const [protocol, batch] of byProtocol) this.sinks.get(protocol)?.samples(batch, false);
    for (const conn of connection === undefined ? (this.connectionsOf.get(building) ?? []) : [connection]) {
      const protocol = [...this.pointById.values()].find((e) => e.point.connection === conn)?.point.info.protocol;
      if (protocol) this.sinks.get(protocol)?.status({ connection: conn, protocol, state, detail, since: now });
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const t = parseTopic(topic);
    if (!t || t.group !== this.o.group || !this.owned.has(t.node)) return;
    const n = this.nodes.get(t.node);
    if (!n) return;
    let p;
    try {
      p = decode(payload);
    } catch {
      this.o.log.warn({ topic }, 'edge host: undecodable Sparkplug payload ignored');
      return;
    }
    const metrics = (p.metrics ?? []) as UMetric[];
    const seq = p.seq === undefined || p.seq === null ? undefined : Number(p.seq);
    switch (t.type) {
      case 'NBIRTH': {
        n.alive = true;
        n.aliases.clear();
        const bd = metrics.find((m) => m.name === BDSEQ);
        n.bdSeq = bd ? Number(bd.value) : undefined;
        n.lastSeq = seq;
        this.o.log.info({ building: t.node, bdSeq: n.bdSeq }, 'edge node born');
        return;
      }
      case 'NDEATH': {
        const bd = metrics.find((m) => m.name === BDSEQ);
        // A stale will (an older session's bdSeq) must not kill the current session.
        if (bd && n.bdSeq !== undefined && Number(bd.value) !== n.bdSeq) return;
        this.counters.deaths++;
        this.o.log.warn({ building: t.node }, 'edge node died');
        this.markDead(t.node, undefined, `edge agent ${t.node} offline (NDEATH)`, 'offline');
        return;
      }
      case 'DDEATH':
        this.track(n, t.node, seq);
        if (t.device) this.markDead(t.node, t.device, `edge ${t.node}: ${t.device} stopped (DDEATH)`, 'stopped');
        return;
      case 'DBIRTH':
      case 'DDATA':
      case 'NDATA':
        if (!n.alive && t.type !== 'DBIRTH') this.askRebirth(t.node);
        if (t.type !== 'DBIRTH') this.track(n, t.node, seq);
        else n.lastSeq = seq;
        this.onData(t.node, n, metrics, t.type === 'DBIRTH');
        return;
      default:
        return;
    }
  }

  private track(n: NodeState, building: string, seq: number | undefined): void {
    if (seq === undefined) return;
    if (n.lastSeq !== undefined && seq !== (n.lastSeq + 1) % 256) this.seqGaps.set(building, (this.seqGaps.get(building) ?? 0) + 1);
    n.lastSeq = seq;
  }

  private onData(building: string, n: NodeState, metrics: UMetric[], birth: boolean): void {
    const now = Date.now();
    const live = new Map<string, Sample[]>();
    const hist = new Map<string, Sample[]>();
    const reborn: string[] = [];
    let unknown = false;
    for (const m of metrics) {
      if (m.name === COMMAND_RESULT) {
        const r = parseCommandResult(m);
        const w = r && this.pending.get(r.id);
        if (w && r) {
          clearTimeout(w.timer);
          this.pending.delete(r.id);
          w.resolve(r);
        }
        continue;
      }
      if (m.name === STATUS_METRIC) {
        const s = parseStatus(m);
        if (s) this.sinks.get(s.protocol)?.status(s);
        continue;
      }
      let id = m.name ?? undefined;
      if (birth && id && m.alias !== undefined && m.alias !== null) n.aliases.set(Number(m.alias), id);
      if (!id && m.alias !== undefined && m.alias !== null) id = n.aliases.get(Number(m.alias));
      const e = id ? this.pointById.get(id) : undefined;
      if (!e || e.building !== building) {
        unknown = true;
        continue;
      }
      const { sample, historical } = metricSample(m, e.point.info.id, now);
      // A birth before the first poll carries no value yet: not a sample.
      if (birth && sample.value === null && sample.quality === 'uncertain') continue;
      if (birth) reborn.push(sample.pointId);
      if (!this.dedup.accept(sample.pointId, sample.readTs, historical ? 'historical' : birth ? 'birth' : 'live')) continue;
      const target = historical ? hist : live;
      const list = target.get(e.point.info.protocol) ?? [];
      target.set(e.point.info.protocol, list);
      list.push(sample);
    }
    if (unknown) this.askRebirth(building);
    for (const [protocol, batch] of hist) {
      this.counters.historical += batch.length;
      this.sinks.get(protocol)?.samples(batch, true);
    }
    for (const [protocol, batch] of live) {
      this.counters.live += batch.length;
      this.sinks.get(protocol)?.samples(batch, false);
    }
    if (birth) for (const l of this.birthListeners) l(reborn);
  }

  /** Sends a DCMD and waits for the edge's result (its driver's write and read-back). */
  async command(pointId: string, value: PointValue): Promise<WriteResult> {
    const e = this.pointById.get(pointId);
    if (!e) throw new DriverWriteError('unknown_point', `no edge point ${pointId}`);
    const n = this.nodes.get(e.building);
    if (!this.client?.connected) throw new DriverWriteError('offline', `the hub is not connected to the MQTT broker (edge ${e.building})`);
    if (!n?.alive) throw new DriverWriteError('offline', `edge agent ${e.building} is offline`);
    const id = randomUUID();
    const result = new Promise<CommandResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DriverWriteError('timeout', `edge ${e.building} did not answer the command within ${this.o.commandTimeoutMs} ms`));
      }, this.o.commandTimeoutMs);
      this.pending.set(id, { resolve, timer });
    });
    const metric: UMetric = { name: pointId, type: datatypeOf(e.point.info.kind), value, timestamp: Date.now() };
    this.client.publish(sparkplugTopic(this.o.group, 'DCMD', e.building, e.point.connection), encode({ timestamp: Date.now(), metrics: [{ name: COMMAND_ID, type: 'String', value: id }, metric] }), { qos: 1 });
    const r = await result;
    if (r.error) {
      const codes = ['invalid_value', 'not_writable', 'unknown_point', 'device_error', 'timeout', 'offline'] as const;
      const code = (codes as readonly string[]).includes(r.error.code) ? (r.error.code as DriverWriteError['code']) : 'device_error';
      throw new DriverWriteError(code, `edge ${e.building}: ${r.error.message}`);
    }
    const out: WriteResult = { confirmed: r.confirmed === true, readBack: r.readBack ?? null };
    if (r.detail !== undefined) out.detail = r.detail;
    return out;
  }
}
