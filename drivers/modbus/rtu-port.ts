// A Modbus RTU "port" for modbus-serial that frames answers itself. modbus-serial's own buffered
// RTU ports know the answer length of FC 1-6/15/16 only, so an FC22 (mask write) or FC23
// (read/write multiple) answer would never be delivered; this port knows those too. It carries
// RTU frames (CRC included; the client checks it and reports "CRC error") over a serial port or a
// TCP socket to a transparent serial server ("RTU over TCP").
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { SerialPort } from 'serialport';
import type { ModbusSerialOptions } from './schema.js';

const EXCEPTION_LENGTH = 5;

/** Length of the answer to an RTU request frame (unit, fc, …, crc), or null when unknown. Pure. */
export function answerLength(request: Buffer): number | null {
  const fc = request[1];
  switch (fc) {
    case 1: case 2:
      return 3 + Math.ceil(request.readUInt16BE(4) / 8) + 2;
    case 3: case 4:
      return 3 + 2 * request.readUInt16BE(4) + 2;
    case 5: case 6: case 15: case 16:
      return 8;
    case 22:
      return 10;
    case 23:
      return 3 + 2 * request.readUInt16BE(4) + 2;
    default:
      return null;
  }
}

type Target = { kind: 'serial'; serial: ModbusSerialOptions } | { kind: 'tcp'; host: string; port: number };

export class RtuFramePort extends EventEmitter {
  private serial: SerialPort | undefined;
  private socket: net.Socket | undefined;
  private buf = Buffer.alloc(0);
  private expect: { unit: number; fc: number; length: number | null } | null = null;
  /** Set by modbus-serial. */
  _transactionIdRead = 1;
  _transactionIdWrite = 1;

  constructor(private readonly target: Target) {
    super();
  }

  get isOpen(): boolean {
    return this.target.kind === 'serial' ? !!this.serial?.isOpen : !!this.socket && !this.socket.destroyed && !this.socket.connecting;
  }

  open(callback: (err?: Error | null) => void): void {
    const onData = (d: Buffer) => this.onData(d);
    if (this.target.kind === 'serial') {
      const s = this.target.serial;
      const port = new SerialPort({ path: s.path, baudRate: s.baudRate, parity: s.parity, dataBits: s.dataBits, stopBits: s.stopBits, autoOpen: false });
      this.serial = port;
      port.on('data', onData);
      port.on('error', (e) => this.emit('error', e));
      port.on('close', () => this.emit('close'));
      port.open((err) => callback(err ?? null));
      return;
    }
    const { host, port } = this.target;
    const sock = net.connect({ host, port });
    this.socket = sock;
    sock.setNoDelay(true);
    sock.on('data', onData);
    let opened = false;
    sock.once('connect', () => {
      opened = true;
      callback(null);
    });
    sock.on('error', (e) => (opened ? this.emit('error', e) : callback(e)));
    sock.on('close', () => opened && this.emit('close'));
  }

  write(data: Buffer): void {
    // A new request: whatever is left of an earlier (timed-out) answer is stale.
    this.buf = Buffer.alloc(0);
    this.expect = { unit: data[0], fc: data[1], length: answerLength(data) };
    if (this.serial) this.serial.write(data);
    else this.socket?.write(data);
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    const e = this.expect;
    if (!e) return;
    for (let i = 0; i + EXCEPTION_LENGTH <= this.buf.length; i++) {
      if (this.buf[i] !== e.unit) continue;
      const fc = this.buf[i + 1];
      const len = fc === (e.fc | 0x80) ? EXCEPTION_LENGTH : fc === e.fc ? e.length : null;
      if (len === null) continue;
      if (i + len > this.buf.length) return; // wait for the rest
      const frame = this.buf.subarray(i, i + len);
      this.buf = this.buf.subarray(i + len);
      this.expect = null;
      this.emit('data', frame);
      return;
    }
  }

  close(callback?: () => void): void {
    this.destroy();
    callback?.();
  }

  destroy(): void {
    const s = this.serial;
    this.serial = undefined;
    if (s?.isOpen) s.close(() => undefined);
    this.socket?.destroy();
    this.socket = undefined;
  }
}
