// Keep it fixed (issue 11): the Socket.IO side. Hostile handshakes (cookies, auth payloads) and
// every client→server event the hub listens to — read from the server-side socket's listeners,
// not listed here — with hostile arguments, with and without acknowledgements, as every role.
// Invariants: the process survives, handshakes are refused with a message, every ack that
// refuses says why, no stack trace is logged, the hub still answers.
import fc from 'fast-check';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../contracts/auth.js';
import { startFuzzHub, stackTraces, type FuzzHub } from './fixture.js';
import { fuzzSeed } from './seed.js';

const seed = fuzzSeed('socket');
const EVENTS = Number(process.env.FUZZ_SOCKET_EVENTS ?? 1200);
const HANDSHAKES = Number(process.env.FUZZ_SOCKET_HANDSHAKES ?? 120);

let f: FuzzHub;
const sockets = new Map<Role, Socket>();
let events: string[] = [];

const connect = (opts: { token?: unknown; cookie?: string }) =>
  ioClient(f.hub.url, {
    transports: ['websocket'], reconnection: false, timeout: 5000, forceNew: true,
    auth: opts.token === undefined ? {} : { token: opts.token },
    extraHeaders: opts.cookie === undefined ? {} : { cookie: opts.cookie, origin: f.hub.url },
  });

const connected = (s: Socket) =>
  new Promise<{ ok: true } | { ok: false; message: string }>((resolve) => {
    s.once('connect', () => resolve({ ok: true }));
    s.once('connect_error', (err) => resolve({ ok: false, message: err.message }));
  });

beforeAll(async () => {
  f = await startFuzzHub();
  for (const role of ROLES) {
    const s = connect({ token: f.token(role) });
    const r = await connected(s);
    if (r.ok) sockets.set(role, s);
    else s.close(); // a role without points:read is refused; its events cannot be sent
  }
  // The events the hub listens to, from a server-side socket of the most privileged user.
  await new Promise((r) => setTimeout(r, 100));
  const server = [...f.hub.io.of('/').sockets.values()].find((s) => s.data.role === 'admin');
  // `error` is Socket.IO's own (reserved: a client cannot emit it).
  events = server ? server.eventNames().filter((e): e is string => typeof e === 'string' && e !== 'error') : [];
});
afterAll(async () => {
  for (const s of sockets.values()) s.close();
  await f?.stop();
});

const hostileString = fc.constantFrom('%', 'constructor', '__proto__', 'toString', '', 'a'.repeat(10_000), 'hq/a/l01', 'floor:hq/a/l01', '\u0000', '\ud800');
const arg: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  hostileString,
  fc.record({ floors: fc.oneof(fc.array(hostileString, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })), points: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), fc.constant(Array.from({ length: 6000 }, (_, i) => `p${i}`)), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }),
  fc.constantFrom({ __proto__: { polluted: true } }, JSON.parse('{"__proto__": {"polluted": true}}'), { floors: ['hq/a/l01'], extra: 1 }, Buffer.from([0, 1, 2, 255])),
);

describe('Socket.IO fuzz', () => {
  it('finds the client→server events the hub listens to', () => {
    console.log(`fuzzing events: ${events.join(', ')}`);
    expect(events).toEqual(expect.arrayContaining(['subscribe', 'unsubscribe', 'alarms:subscribe', 'alarms:unsubscribe']));
    expect(sockets.size).toBeGreaterThanOrEqual(5);
  });

  it(`${HANDSHAKES} hostile handshakes are refused with a message (seed ${seed})`, async () => {
    const cookies = fc.oneof(fc.constantFrom('wf_session=%', 'wf_session=%E0%A4%A', 'wf_session=', '=;=;', `wf_session=${'%'.repeat(3000)}`, 'wf_session="x"'), fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')));
    const tokens = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 100 }), fc.constant(undefined));
    const cases = fc.sample(fc.record({ cookie: fc.option(cookies, { nil: undefined }), token: tokens }), { seed, numRuns: HANDSHAKES });
    const problems: string[] = [];
    for (let i = 0; i < cases.length; i += 20) {
      await Promise.all(cases.slice(i, i + 20).map(async (c) => {
        const s = connect(c);
        const r = await connected(s);
        s.close();
        if (r.ok) problems.push(`connected with ${JSON.stringify(c).slice(0, 100)}`);
        else if (!/authenticat|sign in|origin|permission/i.test(r.message)) problems.push(`refused without a reason: "${r.message}" for ${JSON.stringify(c).slice(0, 100)}`);
      }));
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect((await fetch(`${f.hub.url}/api/health`)).status).toBe(200);
  });

  it(`${EVENTS} hostile events: acks that refuse say why, sockets stay up, no stack logged, hub alive (seed ${seed})`, async () => {
    const roles = [...sockets.keys()];
    const cases = fc.sample(
      fc.record({
        role: fc.constantFrom(...roles),
        event: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...events) }, { weight: 1, arbitrary: fc.constantFrom('points:update', 'drivers:status', 'connect', 'constructor', '__proto__', 'x'.repeat(500)) }),
        args: fc.array(arg, { maxLength: 3 }),
        withAck: fc.boolean(),
      }),
      { seed: seed + 7, numRuns: EVENTS },
    );
    const problems: string[] = [];
    let acked = 0;
    // All at once: a handler that does not answer an ack costs one ack timeout in total, not one per batch.
    for (let i = 0; i < cases.length; i += 2000) {
      await Promise.all(cases.slice(i, i + 2000).map(async (c) => {
        const s = sockets.get(c.role)!;
        const reserved = ['connect', 'connect_error', 'error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].includes(c.event);
        if (reserved) return; // the client refuses to emit these; nothing reaches the hub
        if (!c.withAck) {
          s.emit(c.event, ...c.args);
          return;
        }
        try {
          const res = (await s.timeout(15_000).emitWithAck(c.event, ...c.args)) as { ok?: unknown; error?: unknown };
          acked++;
          if (typeof res !== 'object' || res === null || typeof res.ok !== 'boolean') problems.push(`${c.event}: ack is not {ok}: ${JSON.stringify(res).slice(0, 100)}`);
          else if (res.ok === false && 'error' in res && (typeof res.error !== 'string' || res.error.length < 5)) problems.push(`${c.event}: refusal without a reason`);
        } catch {
          // No ack: an event the hub does not listen to, or an argument list the handler ignores.
          // Only the hub's own events must answer when the ack is the last argument they expect.
          if (events.includes(c.event) && c.args.length <= (c.event.startsWith('alarms:') ? 0 : 1)) problems.push(`${c.event}(${JSON.stringify(c.args).slice(0, 80)}) never acknowledged`);
        }
      }));
    }
    console.log(`socket fuzz: ${cases.length} events, ${acked} acknowledged`);
    expect(problems.slice(0, 10)).toEqual([]);
    for (const [role, s] of sockets) expect(s.connected, `${role} socket was dropped`).toBe(true);
    expect(stackTraces(f.log.entries).slice(0, 5)).toEqual([]);
    expect((await fetch(`${f.hub.url}/api/health`)).status).toBe(200);
  }, 120_000);
});
