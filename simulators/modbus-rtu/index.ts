// A Modbus RTU slave (one or more unit ids, each a register bank) on a serial port — in tests one
// end of a socat pseudo-terminal pair — or behind a TCP "transparent serial server" (RTU over TCP).
// It emulates the line: answers are held back for the time the request and the answer take at
// `lineBaud` (11 bits per character, 8E1) plus the 3.5-character frame gap, so throughput figures
// mean something on a pty, which itself has no speed. Faults: corrupt CRCs, silent units.
import net from 'node:net';
import { SerialPort } from 'serialport';
import { crcOk, handle, RegisterBank, requestLength, withCrc } from './rtu.js';

export { RegisterBank, crc16 } from './rtu.js';

export interface RtuSlaveOptions {
  /** Unit ids served; each gets its own register bank. */
  units: number[];
  /** Emulated line speed for timing (default 19200); 0 = answer at once. */
  lineBaud?: number;
}

export interface RtuSlave {
  bank(unit: number): RegisterBank;
  /** The next `n` answers go out with a broken CRC. */
  corruptNext(n: number): void;
  /** A silent unit never answers (a dead meter on the bus). */
  silence(unit: number, silent: boolean): void;
  /** Requests received with a good CRC, and frames dropped for a bad one. */
  readonly stats: { requests: number; badCrc: number; answered: number };
  stop(): Promise<void>;
}

function charMs(baud: number): number {
  return baud > 0 ? (11 * 1000) / baud : 0;
}

/** The protocol engine shared by the serial and TCP front ends: bytes in → answers out. */
function engine(o: RtuSlaveOptions, send: (b: Buffer) => void) {
  const banks = new Map(o.units.map((u) => [u, new RegisterBank()]));
  const silent = new Set<number>();
  let corrupt = 0;
  let buf = Buffer.alloc(0);
  let busyUntil = 0;
  const stats = { requests: 0, badCrc: 0, answered: 0 };
  const c = charMs(o.lineBaud ?? 19200);
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const len = requestLength(buf);
      if (len === null || (len > 0 && buf.length < len)) return;
      if (len < 0) {
        buf = Buffer.alloc(0); // unknown function: resynchronise on the next frame
        return;
      }
      const frame = buf.subarray(0, len);
      buf = buf.subarray(len);
      if (!crcOk(frame)) {
        stats.badCrc++; // a slave silently drops frames with a bad CRC (spec §2.5.1.2)
        continue;
      }
      stats.requests++;
      const unit = frame[0];
      const bank = banks.get(unit);
      if (unit === 0 || !bank || silent.has(unit)) continue; // broadcast or not ours: no answer
      let answer = withCrc(Buffer.concat([Buffer.from([unit]), handle(frame.subarray(1, len - 2), bank)]));
      if (corrupt > 0) {
        corrupt--;
        answer = Buffer.from(answer);
        answer[answer.length - 1] ^= 0xff;
      }
      // The request occupied the line, then the 3.5-char gap, then the answer takes its own time.
      const now = performance.now();
      const start = Math.max(now, busyUntil);
      const done = start + (len + 3.5 + answer.length + 3.5) * c;
      busyUntil = done;
      const delay = Math.max(0, done - now);
      stats.answered++;
      if (delay < 1) send(answer);
      else setTimeout(() => send(answer), delay);
    }
  };
  return {
    onData,
    api: {
      bank(unit: number) {
        const b = banks.get(unit);
        if (!b) throw new Error(`RTU slave has no unit ${unit}`);
        return b;
      },
      corruptNext(n: number) {
        corrupt = n;
      },
      silence(unit: number, on: boolean) {
        if (on) silent.add(unit);
        else silent.delete(unit);
      },
      stats,
    },
  };
}

/** Opens `path` (e.g. a pty) and serves the units on it. */
export async function startRtuSlave(path: string, o: RtuSlaveOptions & { baudRate?: number }): Promise<RtuSlave> {
  const port = new SerialPort({ path, baudRate: o.baudRate ?? 19200, parity: 'even', autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const e = engine(o, (b) => port.write(b));
  port.on('data', e.onData);
  port.on('error', () => {});
  return {
    ...e.api,
    stop: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

/** A TCP server that carries raw RTU frames (CRC included), like a transparent serial device server. */
export async function startRtuOverTcp(o: RtuSlaveOptions & { port?: number }): Promise<RtuSlave & { port: number }> {
  const sockets = new Set<net.Socket>();
  let current: net.Socket | null = null;
  const e = engine(o, (b) => current?.write(b));
  const server = net.createServer((s) => {
    sockets.add(s);
    current = s;
    s.on('data', (d) => {
      current = s;
      e.onData(d);
    });
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve));
  return {
    ...e.api,
    port: (server.address() as net.AddressInfo).port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
