// One Modbus TCP socket (a modbus-serial client) to one endpoint. It knows nothing of points:
// it opens, reads, writes, and says when it is lost. A fresh client is made per connect so that
// no state (transaction ids, half-parsed frames) survives a broken socket.
import M from 'modbus-serial';
import { LinkClosedError } from './errors.js';
import { RtuFramePort } from './rtu-port.js';
import type { ModbusSerialOptions, ModbusTable, ModbusTransport } from './schema.js';

const ModbusRTU = M.default;
type Client = InstanceType<typeof ModbusRTU>;

export interface LinkOptions {
  /** Default `tcp`. `rtu`: a serial port; `rtu-over-tcp`: RTU frames (with CRC) through a TCP serial server. */
  transport?: ModbusTransport;
  serial?: ModbusSerialOptions;
  host: string;
  port: number;
  /** Per request and per connect attempt. */
  timeoutMs: number;
}

export class ModbusLink {
  private client: Client | undefined;
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

  /** A client for the transport: TCP through modbus-serial's own port, RTU through RtuFramePort. */
  private makeClient(): { client: Client; connect: () => Promise<void> } {
    const o = this.options;
    if (o.transport === 'rtu' || o.transport === 'rtu-over-tcp') {
      if (o.transport === 'rtu' && !o.serial) throw new Error('transport rtu needs serial options');
      const port = new RtuFramePort(o.transport === 'rtu' ? { kind: 'serial', serial: o.serial! } : { kind: 'tcp', host: o.host, port: o.port });
      const client = new ModbusRTU(port as never);
      return { client, connect: () => new Promise<void>((resolve, reject) => client.open((err: Error | null) => (err ? reject(err) : resolve()))) };
    }
    const client = new ModbusRTU();
    return { client, connect: () => client.connectTCP(o.host, { port: o.port }) };
  }

  get isOpen(): boolean {
    return this.client !== undefined;
  }

  /** Connects; throws an Error whose message says why (refused, timed out, ...). */
  async open(): Promise<void> {
    if (this.client) return;
    const { client, connect } = this.makeClient();
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

  /** Closes the socket (or abandons a connect in progress); requests in flight fail with LinkClosedError. */
  close(reason = 'connection closed by the driver'): void {
    this.abortConnect?.(reason);
    this.drop(reason, false);
  }

  private drop(reason: string, notify: boolean): void {
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

  /** Reads `count` registers (as 16-bit words) or bits (as booleans) starting at `start`. */
  async read(unitId: number, table: ModbusTable, start: number, count: number): Promise<number[] | boolean[]> {
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
    if (words.length === 1) await this.request(unitId, (c) => c.writeRegister(address, words[0]));
    else await this.request(unitId, (c) => c.writeRegisters(address, words));
  }

  /** FC22: result = (current AND andMask) OR (orMask AND NOT andMask), done by the device in one step. */
  async maskWrite(unitId: number, address: number, andMask: number, orMask: number): Promise<void> {
    await this.request(unitId, (c) => c.maskWriteRegister(address, andMask, orMask));
  }

  /** FC23: writes `words` at `address`, then reads `count` registers from `readAt`, in one transaction. */
  async readWrite(unitId: number, readAt: number, count: number, address: number, words: number[]): Promise<number[]> {
    const rw = (c: Client) => (c as unknown as { readWriteRegisters(a: number, n: number, w: number, m: number, v: number[]): Promise<{ data: number[] }> }).readWriteRegisters(readAt, count, address, words.length, words);
    return (await this.request(unitId, rw)).data;
  }

  /** FC5. */
  async writeCoil(unitId: number, address: number, on: boolean): Promise<void> {
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
