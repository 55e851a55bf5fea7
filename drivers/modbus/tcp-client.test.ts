// The pipelining Modbus TCP client against a raw socket server that holds answers back and sends
// them in any order: answers are matched by transaction id, not by arrival.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyFailure } from './errors.js';
import { ModbusTcpClient } from './tcp-client.js';

interface Req { tid: number; unit: number; fc: number; start: number; count: number; raw: Buffer }

/** Collects request frames; the test decides when and how to answer each. */
async function rawServer() {
  const seen: Req[] = [];
  const waiters: Array<() => void> = [];
  let sock: net.Socket | undefined;
  const server = net.createServer((s) => {
    sock = s;
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 7 && buf.length >= 6 + buf.readUInt16BE(4)) {
        const len = 6 + buf.readUInt16BE(4);
        const f = buf.subarray(0, len);
        seen.push({ tid: f.readUInt16BE(0), unit: f[6], fc: f[7], start: f.readUInt16BE(8), count: f.readUInt16BE(10), raw: Buffer.from(f) });
        buf = buf.subarray(len);
      }
      for (const w of waiters.splice(0)) w();
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    seen,
    async requests(n: number) {
      while (seen.length < n) await new Promise<void>((ok) => waiters.push(ok));
    },
    /** Answers an FC3/4 request with words start..start+count-1 + base. */
    answerWords(r: Req, base: number) {
      const out = Buffer.alloc(9 + r.count * 2);
      out.writeUInt16BE(r.tid, 0);
      out.writeUInt16BE(3 + r.count * 2, 4);
      out[6] = r.unit;
      out[7] = r.fc;
      out[8] = r.count * 2;
      for (let i = 0; i < r.count; i++) out.writeUInt16BE(base + r.start + i, 9 + i * 2);
      return out;
    },
    exception(r: Req, code: number) {
      return Buffer.from([r.tid >> 8, r.tid & 0xff, 0, 0, 0, 3, r.unit, r.fc | 0x80, code]);
    },
    send(...frames: Buffer[]) {
      sock!.write(Buffer.concat(frames));
    },
    close: () => new Promise<void>((ok) => (sock?.destroy(), server.close(() => ok()))),
  };
}

const words = (b: Buffer) => Array.from({ length: b.length / 2 }, (_, i) => b.readUInt16BE(i * 2));

describe('ModbusTcpClient', () => {
  let cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup = [];
  });

  async function setup(timeoutMs = 2000) {
    const srv = await rawServer();
    const client = new ModbusTcpClient(timeoutMs);
    await client.connect('127.0.0.1', srv.port);
    cleanup.push(() => srv.close(), () => client.destroy());
    return { srv, client };
  }

  it('keeps several requests in flight and matches answers sent in reverse order', async () => {
    const { srv, client } = await setup();
    const a = client.readRegisters(1, 3, 0, 3);
    const b = client.readRegisters(2, 3, 10, 2);
    const c = client.readRegisters(3, 4, 20, 1);
    await srv.requests(3); // all three were sent before any answer
    expect(client.inFlight).toBe(3);
    expect(new Set(srv.seen.map((r) => r.tid)).size).toBe(3);
    const [ra, rb, rc] = srv.seen;
    srv.send(srv.answerWords(rc, 3000), srv.answerWords(rb, 2000), srv.answerWords(ra, 1000));
    expect(words(await a)).toEqual([1000, 1001, 1002]);
    expect(words(await b)).toEqual([2010, 2011]);
    expect(words(await c)).toEqual([3020]);
    expect(client.inFlight).toBe(0);
  });

  it('turns an exception answer into an error classifyFailure reads as the Modbus code', async () => {
    const { srv, client } = await setup();
    const p = client.readRegisters(1, 3, 0, 1);
    await srv.requests(1);
    srv.send(srv.exception(srv.seen[0], 2));
    const err = await p.catch((e: unknown) => e);
    expect(classifyFailure(err, 1000)).toMatchObject({ kind: 'exception', code: 2 });
  });

  it('times out one request without disturbing the others, and drops its late answer', async () => {
    const { srv, client } = await setup(150);
    const slow = client.readRegisters(1, 3, 0, 1);
    await srv.requests(1);
    const err = await slow.catch((e: unknown) => e);
    expect(classifyFailure(err, 150)).toMatchObject({ kind: 'timeout' });
    const next = client.readRegisters(1, 3, 5, 1);
    await srv.requests(2);
    srv.send(srv.answerWords(srv.seen[0], 9000), srv.answerWords(srv.seen[1], 100)); // late answer first
    expect(words(await next)).toEqual([105]);
  });

  it('fails every request in flight when the device hangs up', async () => {
    const { srv, client } = await setup();
    let closed = '';
    client.onClose = (r) => (closed = r);
    const a = client.readRegisters(1, 3, 0, 1);
    const b = client.readBits(1, 1, 0, 8);
    await srv.requests(2);
    await srv.close();
    await expect(a).rejects.toThrow(/closed/);
    expect(classifyFailure(await b.catch((e: unknown) => e), 1000).kind).toBe('closed');
    expect(closed).toMatch(/closed/);
  });

  it('decodes bits LSB first and sends the write function codes', async () => {
    const { srv, client } = await setup();
    const bits = client.readBits(1, 2, 0, 10);
    await srv.requests(1);
    const r = srv.seen[0];
    srv.send(Buffer.from([r.tid >> 8, r.tid & 0xff, 0, 0, 0, 5, 1, 2, 2, 0b1000_0101, 0b10]));
    expect(await bits).toEqual([true, false, true, false, false, false, false, true, false, true]);
    const w = client.writeRegisters(1, 100, [1, 0xbeef]);
    await srv.requests(2);
    expect([...srv.seen[1].raw.subarray(7)]).toEqual([16, 0, 100, 0, 2, 4, 0, 1, 0xbe, 0xef]);
    const ack = Buffer.from(srv.seen[1].raw.subarray(0, 12));
    ack.writeUInt16BE(6, 4);
    srv.send(ack);
    await w;
  });
});
