// One Modbus TCP gateway: a TCP listener on loopback and the units behind it. Each request is
// answered from the unit's current values; writes change them and refresh derived values at once
// (a relay switched on shows its current and the floor meter's kW on the very next read).
import net from 'node:net';
import { isOfficeHours, seededRandom, shanghaiTime } from './models/clock.js';
import { MODELS, type DeviceModel, type ModelContext } from './models/index.js';
import { deframe, frame, handlePdu } from './pdu.js';
import type { GatewaySpec, UnitSpec } from './spec.js';
import { SimUnit } from './unit.js';

/** The project's one logger interface (contracts/log.ts). */
export type SimLogger = import('../../contracts/log.js').Logger;

interface Member {
  spec: UnitSpec;
  model: DeviceModel;
  unit: SimUnit;
  memory: unknown;
  random: () => number;
}

export class SimGateway {
  readonly id: string;
  private readonly members: Member[] = [];
  private readonly byUnit = new Map<number, Member>();
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    spec: GatewaySpec,
    private readonly now: () => number,
    private readonly log: SimLogger,
  ) {
    this.id = spec.id;
    for (const u of spec.units) {
      const model = MODELS[u.model];
      const m: Member = { spec: u, model, unit: new SimUnit(u.unit, u.model, model.datasheet(u.options)), memory: null, random: seededRandom(`${spec.id}/${u.unit}`) };
      this.members.push(m);
      this.byUnit.set(u.unit, m);
    }
    this.members.sort((a, b) => a.model.stage - b.model.stage);
    for (const m of this.members) m.memory = m.model.init(m.unit, m.spec.options, this.context(m, 0));
    this.step(0);
  }

  unit(unitId: number): SimUnit {
    const m = this.byUnit.get(unitId);
    if (!m) throw new Error(`gateway ${this.id} has no unit ${unitId}; it has ${[...this.byUnit.keys()].join(', ')}`);
    return m.unit;
  }

  private context(m: Member, dtS: number): ModelContext {
    const local = shanghaiTime(this.now());
    return { nowMs: this.now(), dtS, local, officeHours: isOfficeHours(local), random: m.random, peer: (id) => this.byUnit.get(id)?.unit };
  }

  /** Advances every unit by dtS simulated seconds (0 = just recompute derived values). */
  step(dtS: number): void {
    for (const m of this.members) m.model.step(m.unit, m.spec.options, this.context(m, dtS), m.memory);
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** Listens on `port` (0 = any free port); a restart reuses the port it got the first time. */
  async start(host: string, port = this.port): Promise<void> {
    if (this.server) return;
    const server = net.createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.error({ gateway: this.id, err }, 'modbus sim gateway server error'));
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  /** Closes the listener and drops every client, as if the gateway lost power. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    let pending: Buffer = Buffer.alloc(0);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      const { frames, rest, error } = deframe(pending.length ? Buffer.concat([pending, chunk]) : chunk);
      pending = rest;
      for (const f of frames) {
        const { response, written, reason } = handlePdu(f.pdu, this.byUnit.get(f.unitId)?.unit);
        if (reason) this.log.debug({ gateway: this.id, unit: f.unitId, reason }, 'modbus exception answered');
        if (written.length) this.step(0);
        if (!socket.destroyed) socket.write(frame(f.transactionId, f.unitId, response));
      }
      if (error) {
        this.log.warn({ gateway: this.id, remote: socket.remoteAddress, error }, 'dropping a client that does not speak Modbus TCP');
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }
}
