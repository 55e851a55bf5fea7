// One Modbus socket to one endpoint: our own pipelining client for TCP (tcp-client.ts), modbus-serial
// over our RTU frame port for serial lines and RTU-over-TCP. It knows nothing of points:
// it opens, reads, writes, and says when it is lost. A fresh client is made per connect so that
// no state (transaction ids, half-parsed frames) survives a broken socket.
import type M from 'modbus-serial';
import { LinkClosedError } from './errors.js';
import { ModbusTcpClient } from './tcp-client.js';
import type { ModbusSerialOptions, ModbusTable, ModbusTransport } from './schema.js';

type Client = InstanceType<typeof M.default>;

/** modbus-serial and serialport load with the first RTU link: a TCP-only hub never pays their import (~0.3 s). */
async function loadRtu() {
  const [ms, port] = await Promise.all([import('modbus-serial'), import('./rtu-port.js')]);
  return { ModbusRTU: (ms.default as unknown as typeof M).default, RtuFramePort: port.RtuFramePort };
}

export interface LinkOptions {
  /** Default `tcp`. `rtu`: a serial port; `rtu-over-tcp`: RTU frames (with CRC) through a TCP serial server. */
  transport?: ModbusTransport;
  serial?: ModbusSerialOptions;
  host: string;
  port: number;
  /** Per request and per connect attempt. */
  timeoutMs: number;
}

const READ_FC = { holding: 3, input: 4, coil: 1, discrete: 2 } as const;

export class ModbusLink {
  /** RTU transports: modbus-serial over our frame port, one request at a time. */
  private client: Client | undefined;
  /** TCP transport: our own pipelining client (tcp-client.ts). */
  private tcp: ModbusTcpClient | undefined;
  private lostPromise: Promise<never> = Promise.reject(new LinkClosedError('not connected'));
  private rejectLost: ((e: Error) => void) | undefined;
  private abortConnect: ((reason: string) => void) | undefined;
  /** Called once when an open link is lost by itself (peer closed, socket error); not on close(). */
  onLost: ((reason: string) => void) | undefined;

  constructor(private readonly options: LinkOptions) {
    this.lostPromise.catch(() => undefined);
  }

  get endpoint(): string {
    if (this.options.transport === 'rtu') return this.options.serial?.path ?? 'serial';
    return `${this.options.host}:${this.options.port}`;
  }

  /** A client for an RTU transport: modbus-serial over RtuFramePort. */
  private async makeClient(): Promise<{ client: Client; connect: () => Promise<void> }> {
    const o = this.options;
    const { ModbusRTU, RtuFramePort } = await loadRtu();
    if (o.transport === 'rtu' || o.transport === 'rtu-over-tcp') {
      if (o.transport === 'rtu' && !o.serial) throw new Error('transport rtu needs serial options');
      const port = new RtuFramePort(o.transport === 'rtu' ? { kind: 'serial', serial: o.serial! } : { kind: 'tcp', host: o.host, port: o.port });
      const client = new ModbusRTU(port as never);
      return { client, connect: () => new Promise<void>((resolve, reject) => client.open((err: Error | null) => (err ? reject(err) : resolve()))) };
    }
    throw new Error(`transport ${o.transport ?? 'tcp'} has its own client (tcp-client.ts)`);
  }

  get isOpen(): boolean {
    return this.client !== undefined || this.tcp !== undefined;
  }

  /** True when several requests may be in flight at once (the TCP transport). */
  get pipelines(): boolean {
    return this.tcp !== undefined;
  }

  /** Connects; throws an Error whose message says why (refused, timed out, ...). */
  async open(): Promise<void> {
    if (this.isOpen) return;
    if (this.options.transport === undefined || this.options.transport === 'tcp') return this.openTcp();
    const { client, connect } = await this.makeClient();
    // Socket errors also surface as the failure of the request or connect that hit them.
    client.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
          this.abortConnect = (reason) => reject(new LinkClosedError(reason));
        }),
      ]);
    } catch (err) {
      destroy(client);
      if (err instanceof LinkClosedError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`connect to ${this.endpoint} failed: ${message}`);
    } finally {
      clearTimeout(timer);
      this.abortConnect = undefined;
    }
    client.setTimeout(this.options.timeoutMs);
    client.on('close', () => this.drop('connection closed by the device', true));
    this.client = client;
    this.lostPromise = new Promise<never>((_, reject) => (this.rejectLost = reject));
    this.lostPromise.catch(() => undefined);
  }

  private async openTcp(): Promise<void> {
    const tcp = new ModbusTcpClient(this.options.timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        tcp.connect(this.options.host, this.options.port),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
          this.abortConnect = (reason) => reject(new LinkClosedError(reason));
        }),
      ]);
    } catch (err) {
      tcp.destroy();
      if (err instanceof LinkClosedError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`connect to ${this.endpoint} failed: ${message}`);
    } finally {
      clearTimeout(timer);
      this.abortConnect = undefined;
    }
    tcp.onClose = (reason) => this.drop(reason, true);
    this.tcp = tcp;
  }

  /** Closes the socket (or abandons a connect in progress); requests in flight fail with LinkClosedError. */
  close(reason = 'connection closed by the driver'): void {
    this.abortConnect?.(reason);
    this.drop(reason, false);
  }

  private drop(reason: string, notify: boolean): void {
    const tcp = this.tcp;
    if (tcp) {
      this.tcp = undefined;
      tcp.destroy(reason);
      if (notify) this.onLost?.(reason);
      return;
    }
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    destroy(client);
    this.rejectLost?.(new LinkClosedError(reason));
    this.rejectLost = undefined;
    if (notify) this.onLost?.(reason);
  }

  private async request<T>(unitId: number, send: (c: Client) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client) throw new LinkClosedError('not connected');
    client.setID(unitId);
    // A socket that closes mid-request would otherwise leave us waiting for the timeout.
    return Promise.race([send(client), this.lostPromise]);
  }

  /**
   * Reads `count` registers as their raw bytes (big-endian words, a view valid until the next await)
   * or `count` bits as booleans: the poll path, decoded without a JS array per answer.
   */
  async readRaw(unitId: number, table: ModbusTable, start: number, count: number): Promise<Buffer | boolean[]> {
    if (this.tcp) {
      const fc = READ_FC[table];
      return fc === 3 || fc === 4 ? this.tcp.readRegisters(unitId, fc, start, count) : this.tcp.readBits(unitId, fc, start, count);
    }
    switch (table) {
      case 'holding':
        return (await this.request(unitId, (c) => c.readHoldingRegisters(start, count))).buffer;
      case 'input':
        return (await this.request(unitId, (c) => c.readInputRegisters(start, count))).buffer;
      default:
        return (await this.read(unitId, table, start, count)) as boolean[];
    }
  }

  /** Reads `count` registers (as 16-bit words) or bits (as booleans) starting at `start`. */
  async read(unitId: number, table: ModbusTable, start: number, count: number): Promise<number[] | boolean[]> {
    if (this.tcp) {
      const raw = await this.readRaw(unitId, table, start, count);
      if (!Buffer.isBuffer(raw)) return raw;
      return Array.from({ length: count }, (_, i) => raw.readUInt16BE(i * 2));
    }
    switch (table) {
      case 'holding':
        return (await this.request(unitId, (c) => c.readHoldingRegisters(start, count))).data;
      case 'input':
        return (await this.request(unitId, (c) => c.readInputRegisters(start, count))).data;
      case 'coil':
        return (await this.request(unitId, (c) => c.readCoils(start, count))).data.slice(0, count);
      case 'discrete':
        return (await this.request(unitId, (c) => c.readDiscreteInputs(start, count))).data.slice(0, count);
    }
  }

  /** FC6 for one word, FC16 for more. */
  async writeRegisters(unitId: number, address: number, words: number[]): Promise<void> {
    if (this.tcp) return words.length === 1 ? this.tcp.writeRegister(unitId, address, words[0]) : this.tcp.writeRegisters(unitId, address, words);
    if (words.length === 1) await this.request(unitId, (c) => c.writeRegister(address, words[0]));
    else await this.request(unitId, (c) => c.writeRegisters(address, words));
  }

  /** FC22: result = (current AND andMask) OR (orMask AND NOT andMask), done by the device in one step. */
  async maskWrite(unitId: number, address: number, andMask: number, orMask: number): Promise<void> {
    if (this.tcp) return this.tcp.maskWrite(unitId, address, andMask, orMask);
    await this.request(unitId, (c) => c.maskWriteRegister(address, andMask, orMask));
  }

  /** FC23: writes `words` at `address`, then reads `count` registers from `readAt`, in one transaction. */
  async readWrite(unitId: number, readAt: number, count: number, address: number, words: number[]): Promise<number[]> {
    if (this.tcp) return this.tcp.readWrite(unitId, readAt, count, address, words);
    const rw = (c: Client) => (c as unknown as { readWriteRegisters(a: number, n: number, w: number, m: number, v: number[]): Promise<{ data: number[] }> }).readWriteRegisters(readAt, count, address, words.length, words);
    return (await this.request(unitId, rw)).data;
  }

  /** FC5. */
  async writeCoil(unitId: number, address: number, on: boolean): Promise<void> {
    if (this.tcp) return this.tcp.writeCoil(unitId, address, on);
    await this.request(unitId, (c) => c.writeCoil(address, on));
  }
}

function destroy(client: Client): void {
  try {
    client.destroy(() => undefined);
  } catch {
    // already gone
  }
}
