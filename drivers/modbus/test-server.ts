// Test support: a real Modbus TCP server (modbus-serial ServerTCP on loopback) holding plain
// register words per unit, with a tap that records every request frame it receives, silent
// units, and injected exceptions. It never decodes values: tests give it raw words.
import net from 'node:net';
import M from 'modbus-serial';

const { ServerTCP } = M;
type Server = InstanceType<typeof ServerTCP>;
type Cb<T> = (err: unknown, value?: T) => void;

export interface UnitMemory {
  holding: Map<number, number>;
  input: Map<number, number>;
  coil: Map<number, boolean>;
  discrete: Map<number, boolean>;
}

export interface SeenRequest {
  unitId: number;
  fc: number;
  address: number;
  /** Quantity for reads and FC15/16, the value for FC5/6. */
  count: number;
}

export function emptyUnit(): UnitMemory {
  return { holding: new Map(), input: new Map(), coil: new Map(), discrete: new Map() };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export class TestModbusServer {
  readonly units = new Map<number, UnitMemory>();
  /** Units that never answer (like a dead device behind a gateway). */
  readonly silentUnits = new Set<number>();
  /** `unit/table/address` → exception code thrown for any read covering that address. */
  readonly exceptions = new Map<string, number>();
  /** `unit/address` of holding registers that ignore writes (to test unconfirmed writes). */
  readonly readOnlyHolding = new Set<string>();
  readonly requests: SeenRequest[] = [];
  private server: Server | undefined;

  private constructor(readonly port: number) {}

  static async start(port?: number): Promise<TestModbusServer> {
    const s = new TestModbusServer(port ?? (await freePort()));
    await s.listen();
    return s;
  }

  unit(id: number): UnitMemory {
    let u = this.units.get(id);
    if (!u) this.units.set(id, (u = emptyUnit()));
    return u;
  }

  writes(): SeenRequest[] {
    return this.requests.filter((r) => [5, 6, 15, 16].includes(r.fc));
  }

  async listen(): Promise<void> {
    const server = new ServerTCP(this.vector() as unknown as ConstructorParameters<typeof ServerTCP>[0], { host: '127.0.0.1', port: this.port });
    await new Promise<void>((resolve, reject) => {
      server.once('initialized', () => resolve());
      server.once('serverError', (err: unknown) => reject(err));
    });
    server.on('socketError', () => undefined);
    // Tap the raw frames: MBAP (7 bytes incl. unit id) + function code + address + quantity/value.
    const raw = (server as unknown as { _server: net.Server })._server;
    raw.on('connection', (sock: net.Socket) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 12 && buf.length >= 6 + buf.readUInt16BE(4)) {
          this.requests.push({ unitId: buf[6], fc: buf[7], address: buf.readUInt16BE(8), count: buf.readUInt16BE(10) });
          buf = buf.subarray(6 + buf.readUInt16BE(4));
        }
      });
    });
    this.server = server;
  }

  /** Closes the listener and drops every client socket (the device "dies"). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private check(unitId: number, table: keyof UnitMemory, address: number, count: number): UnitMemory | undefined {
    if (this.silentUnits.has(unitId) || !this.units.has(unitId)) return undefined;
    for (let a = address; a < address + count; a++) {
      const code = this.exceptions.get(`${unitId}/${table}/${a}`);
      if (code !== undefined) throw { modbusErrorCode: code };
    }
    return this.units.get(unitId);
  }

  private words(unitId: number, table: 'holding' | 'input', address: number, count: number, cb: Cb<number[]>): void {
    let mem: UnitMemory | undefined;
    try {
      mem = this.check(unitId, table, address, count);
    } catch (e) {
      return cb(e);
    }
    if (!mem) return; // silent: the client times out
    cb(null, Array.from({ length: count }, (_, i) => mem[table].get(address + i) ?? 0));
  }

  private bit(unitId: number, table: 'coil' | 'discrete', address: number, cb: Cb<boolean>): void {
    let mem: UnitMemory | undefined;
    try {
      mem = this.check(unitId, table, address, 1);
    } catch (e) {
      return cb(e);
    }
    if (!mem) return;
    cb(null, mem[table].get(address) ?? false);
  }

  private vector() {
    return {
      getMultipleHoldingRegisters: (a: number, n: number, u: number, cb: Cb<number[]>) => this.words(u, 'holding', a, n, cb),
      getHoldingRegister: (a: number, u: number, cb: Cb<number>) => this.words(u, 'holding', a, 1, (e, v) => cb(e, v?.[0])),
      getMultipleInputRegisters: (a: number, n: number, u: number, cb: Cb<number[]>) => this.words(u, 'input', a, n, cb),
      getInputRegister: (a: number, u: number, cb: Cb<number>) => this.words(u, 'input', a, 1, (e, v) => cb(e, v?.[0])),
      getCoil: (a: number, u: number, cb: Cb<boolean>) => this.bit(u, 'coil', a, cb),
      getDiscreteInput: (a: number, u: number, cb: Cb<boolean>) => this.bit(u, 'discrete', a, cb),
      setRegister: (a: number, v: number, u: number, cb: (err: unknown) => void) => {
        if (this.silentUnits.has(u) || !this.units.has(u)) return;
        if (!this.readOnlyHolding.has(`${u}/${a}`)) this.unit(u).holding.set(a, v);
        cb(null);
      },
      setCoil: (a: number, v: boolean, u: number, cb: (err: unknown) => void) => {
        if (this.silentUnits.has(u) || !this.units.has(u)) return;
        this.unit(u).coil.set(a, v);
        cb(null);
      },
    };
  }
}
