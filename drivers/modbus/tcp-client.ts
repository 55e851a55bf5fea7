// A small Modbus TCP client: one socket, requests matched to answers by MBAP transaction id, so
// several may be in flight (pipelining; how many is the caller's choice). Replaces modbus-serial for
// the `tcp` transport: that client allows one request at a time and turns every answer into a JS
// array; this one hands back the raw register bytes for allocation-free decoding (decode.ts).
import net from 'node:net';
import { LinkClosedError } from './errors.js';
import { encodeFrame, encodeReadFrame, MbapFramer, TransactionTable, type Frame } from './mbap.js';

/** An exception answer (function code | 0x80); `modbusCode` is what classifyFailure reads. */
export class ModbusExceptionError extends Error {
  constructor(readonly modbusCode: number, fc: number) {
    super(`Modbus exception ${modbusCode} (function ${fc})`);
    this.name = 'ModbusExceptionError';
  }
}

/** No answer in time; `errno` is what classifyFailure reads. */
export class ModbusTimeoutError extends Error {
  readonly errno = 'ETIMEDOUT';
  constructor() {
    super('Timed out');
    this.name = 'ModbusTimeoutError';
  }
}

interface Pending {
  unitId: number;
  fc: number;
  resolve(pdu: Buffer): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class ModbusTcpClient {
  private socket: net.Socket | undefined;
  private readonly framer = new MbapFramer();
  private readonly open = new TransactionTable<Pending>();
  private closedReason: string | undefined;
  /** Requests written in one tick leave in one write(2) (writev): a pipelined cycle re-fills its slots in bursts. */
  private corked = false;
  /** Called once when the socket closes or errors after connect (not on destroy()). */
  onClose: ((reason: string) => void) | undefined;

  constructor(private readonly timeoutMs: number) {}

  get inFlight(): number {
    return this.open.size;
  }

  connect(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ host, port });
      s.setNoDelay(true);
      const fail = (err: Error) => {
        s.destroy();
        reject(err);
      };
      s.once('error', fail);
      s.once('connect', () => {
        s.off('error', fail);
        this.socket = s;
        s.on('data', (d: Buffer) => this.onData(d));
        s.on('error', (err) => this.lost(err.message));
        s.on('close', () => this.lost('connection closed by the device'));
        resolve();
      });
    });
  }

  /** Closes the socket; requests in flight fail with `reason`. */
  destroy(reason = 'connection closed'): void {
    this.onClose = undefined;
    this.lost(reason);
  }

  private lost(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.socket?.destroy();
    for (const p of this.open.drain()) {
      clearTimeout(p.timer);
      p.reject(new LinkClosedError(reason));
    }
    const cb = this.onClose;
    this.onClose = undefined;
    cb?.(reason);
  }

  private onData(d: Buffer): void {
    try {
      this.framer.push(d, this.onFrame);
    } catch (err) {
      this.lost(`bad answer: ${(err as Error).message}`);
    }
  }

  private readonly onFrame = (f: Frame): void => {
    const p = this.open.take(f.tid);
    if (!p) return; // a late answer to a request that timed out
    clearTimeout(p.timer);
    const fc = f.pdu[0];
    if (fc === (p.fc | 0x80)) p.reject(new ModbusExceptionError(f.pdu[1], p.fc));
    else if (fc !== p.fc || f.unitId !== p.unitId) p.reject(new Error(`answer for function ${fc} unit ${f.unitId} to a request for function ${p.fc} unit ${p.unitId}`));
    else p.resolve(f.pdu);
  };

  private send(unitId: number, fc: number, frameOf: (tid: number) => Buffer): Promise<Buffer> {
    const socket = this.socket;
    if (!socket || this.closedReason !== undefined) return Promise.reject(new LinkClosedError(this.closedReason ?? 'not connected'));
    return new Promise<Buffer>((resolve, reject) => {
      const entry: Pending = { unitId, fc, resolve, reject, timer: undefined as unknown as NodeJS.Timeout };
      const tid = this.open.add(entry);
      entry.timer = setTimeout(() => {
        if (this.open.take(tid)) reject(new ModbusTimeoutError());
      }, this.timeoutMs);
      if (!this.corked) {
        this.corked = true;
        socket.cork();
        process.nextTick(this.uncork, socket);
      }
      socket.write(frameOf(tid));
    });
  }

  /** After the promise jobs of this tick (answers handled, their follow-up requests written). */
  private readonly uncork = (socket: net.Socket): void => {
    this.corked = false;
    socket.uncork();
  };

  /** FC3/FC4: the answer's register bytes (big-endian words), a view into the received data. */
  async readRegisters(unitId: number, fc: 3 | 4, start: number, count: number): Promise<Buffer> {
    const pdu = await this.send(unitId, fc, (tid) => encodeReadFrame(tid, unitId, fc, start, count));
    if (pdu[1] !== count * 2 || pdu.length < 2 + count * 2) throw new Error(`answer carries ${pdu[1]} bytes, expected ${count * 2}`);
    return pdu.subarray(2, 2 + count * 2);
  }

  /** FC1/FC2: `count` bits. */
  async readBits(unitId: number, fc: 1 | 2, start: number, count: number): Promise<boolean[]> {
    const pdu = await this.send(unitId, fc, (tid) => encodeReadFrame(tid, unitId, fc, start, count));
    const bytes = Math.ceil(count / 8);
    if (pdu[1] < bytes || pdu.length < 2 + bytes) throw new Error(`answer carries ${pdu[1]} bytes, expected ${bytes}`);
    const out = new Array<boolean>(count);
    for (let i = 0; i < count; i++) out[i] = ((pdu[2 + (i >> 3)] >> (i & 7)) & 1) === 1;
    return out;
  }

  private pdu(unitId: number, bytes: Buffer): Promise<Buffer> {
    return this.send(unitId, bytes[0], (tid) => encodeFrame(tid, unitId, bytes));
  }

  /** FC5. */
  async writeCoil(unitId: number, address: number, on: boolean): Promise<void> {
    const b = Buffer.alloc(5);
    b[0] = 5;
    b.writeUInt16BE(address, 1);
    b.writeUInt16BE(on ? 0xff00 : 0, 3);
    await this.pdu(unitId, b);
  }

  /** FC6. */
  async writeRegister(unitId: number, address: number, word: number): Promise<void> {
    const b = Buffer.alloc(5);
    b[0] = 6;
    b.writeUInt16BE(address, 1);
    b.writeUInt16BE(word & 0xffff, 3);
    await this.pdu(unitId, b);
  }

  /** FC16. */
  async writeRegisters(unitId: number, address: number, words: readonly number[]): Promise<void> {
    const b = Buffer.alloc(6 + words.length * 2);
    b[0] = 16;
    b.writeUInt16BE(address, 1);
    b.writeUInt16BE(words.length, 3);
    b[5] = words.length * 2;
    words.forEach((w, i) => b.writeUInt16BE(w & 0xffff, 6 + i * 2));
    await this.pdu(unitId, b);
  }

  /** FC22. */
  async maskWrite(unitId: number, address: number, andMask: number, orMask: number): Promise<void> {
    const b = Buffer.alloc(7);
    b[0] = 22;
    b.writeUInt16BE(address, 1);
    b.writeUInt16BE(andMask & 0xffff, 3);
    b.writeUInt16BE(orMask & 0xffff, 5);
    await this.pdu(unitId, b);
  }

  /** FC23: writes `words` at `address`, then reads `count` registers from `readAt`. */
  async readWrite(unitId: number, readAt: number, count: number, address: number, words: readonly number[]): Promise<number[]> {
    const b = Buffer.alloc(10 + words.length * 2);
    b[0] = 23;
    b.writeUInt16BE(readAt, 1);
    b.writeUInt16BE(count, 3);
    b.writeUInt16BE(address, 5);
    b.writeUInt16BE(words.length, 7);
    b[9] = words.length * 2;
    words.forEach((w, i) => b.writeUInt16BE(w & 0xffff, 10 + i * 2));
    const pdu = await this.pdu(unitId, b);
    if (pdu[1] !== count * 2 || pdu.length < 2 + count * 2) throw new Error(`answer carries ${pdu[1]} bytes, expected ${count * 2}`);
    return Array.from({ length: count }, (_, i) => pdu.readUInt16BE(2 + i * 2));
  }
}
