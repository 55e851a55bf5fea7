// A BACnet/IP device on a UDP port: Who-Is/I-Am, ReadProperty, ReadPropertyMultiple, WriteProperty
// (priority array), SubscribeCOV with lifetimes and COV-increment notifications. Its own encoding
// (codec.ts, frame.ts): nothing is shared with the driver's npm stack.
import dgram from 'node:dgram';
import { DecodeError, Writer, type AppValue, type Reader } from './codec.js';
import { apdu, frame, parsePacket, PDU, type Incoming } from './frame.js';
import { BacObject, ERR_CLASS, ERR_CODE, OT, PROP } from './objects.js';

const SVC = { SUBSCRIBE_COV: 5, READ_PROPERTY: 12, READ_PROPERTY_MULTIPLE: 14, WRITE_PROPERTY: 15 } as const;
const USVC = { I_AM: 0, COV_NOTIFICATION: 2, WHO_IS: 8 } as const;
const CSVC_COV_NOTIFICATION = 1;
const PROP_ALL = 8;
const MAX_APDU = 1476;
const VENDOR_ID = 999; // "test" vendor; real devices carry their ASHRAE-assigned id

interface Peer {
  address: string;
  port: number;
  source?: { net: number; adr: Buffer };
}

interface Subscription {
  peer: Peer;
  processId: number;
  object: BacObject;
  confirmed: boolean;
  /** ms epoch; Infinity = indefinite (lifetime 0). */
  expires: number;
  last: { value: number; flags: string } | null;
}

export interface DeviceOptions {
  instance: number;
  name: string;
  host?: string;
  /** 0 = ephemeral. */
  port?: number;
  objects: BacObject[];
  /** Counts requests per service, for tests. */
  onRequest?: (service: number, peer: Peer) => void;
}

export class SimulatedDevice {
  private sock: dgram.Socket | null = null;
  private readonly byKey = new Map<string, BacObject>();
  readonly subscriptions: Subscription[] = [];
  private boundPort: number;
  private invoke = 0;
  /** Served requests by service number (confirmed) or `u<n>` (unconfirmed). */
  readonly counts = new Map<string, number>();

  constructor(private readonly o: DeviceOptions) {
    for (const obj of o.objects) this.byKey.set(obj.key, obj);
    this.boundPort = o.port ?? 0;
  }

  get port(): number {
    return this.boundPort;
  }
  get instance(): number {
    return this.o.instance;
  }
  get objects(): BacObject[] {
    return this.o.objects;
  }
  get running(): boolean {
    return this.sock !== null;
  }

  object(type: number, instance: number): BacObject | undefined {
    return this.byKey.get(`${type}:${instance}`);
  }

  async start(): Promise<void> {
    if (this.sock) return;
    const sock = dgram.createSocket('udp4');
    sock.on('message', (msg, rinfo) => this.onMessage(msg, { address: rinfo.address, port: rinfo.port }));
    sock.on('error', () => {}); // ICMP port unreachable from a vanished peer must not crash the device
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(this.boundPort, this.o.host ?? '127.0.0.1', () => {
        sock.off('error', reject);
        resolve();
      });
    });
    this.boundPort = sock.address().port;
    this.sock = sock;
  }

  /** Goes silent like a device that lost power: the port closes and subscriptions are forgotten. */
  async stop(): Promise<void> {
    const s = this.sock;
    this.sock = null;
    this.subscriptions.length = 0;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** Call after the process changed values: sends COV notifications where the change passes the increment. */
  notifyChanges(now = Date.now()): void {
    if (!this.sock) return;
    for (let i = this.subscriptions.length - 1; i >= 0; i--) {
      const s = this.subscriptions[i];
      if (s.expires <= now) {
        this.subscriptions.splice(i, 1);
        continue;
      }
      if (this.covDue(s)) this.sendCov(s, now);
    }
  }

  private covDue(s: Subscription): boolean {
    const v = s.object.presentValue();
    const flags = s.object.statusFlags().join();
    if (!s.last || s.last.flags !== flags) return true;
    if (s.object.family === 'analog') return Math.abs(v - s.last.value) >= (s.object.spec.covIncrement ?? 0.1);
    return v !== s.last.value;
  }

  private sendCov(s: Subscription, now: number): void {
    const obj = s.object;
    const remaining = s.expires === Infinity ? 0 : Math.max(1, Math.round((s.expires - now) / 1000));
    const w = new Writer()
      .ctxUnsigned(0, s.processId)
      .ctxOid(1, OT.DEVICE, this.o.instance)
      .ctxOid(2, obj.type, obj.instance)
      .ctxUnsigned(3, remaining)
      .open(4);
    w.ctxUnsigned(0, PROP.PRESENT_VALUE).open(2).app(obj.encodeValue(obj.presentValue())).close(2);
    w.ctxUnsigned(0, PROP.STATUS_FLAGS).open(2).app({ t: 'bits', v: obj.statusFlags() }).close(2);
    w.close(4);
    s.last = { value: obj.presentValue(), flags: obj.statusFlags().join() };
    if (s.confirmed) {
      this.invoke = (this.invoke + 1) & 0xff;
      const head = new Writer().u8(PDU.CONFIRMED << 4, 0x05, this.invoke, CSVC_COV_NOTIFICATION).toBuffer();
      this.send(s.peer, Buffer.concat([head, w.toBuffer()]), true);
    } else this.send(s.peer, apdu.unconfirmed(USVC.COV_NOTIFICATION, w.toBuffer()));
  }

  private send(peer: Peer, body: Buffer, expectReply = false, broadcast = false): void {
    this.sock?.send(frame(body, { dest: peer.source, expectReply, broadcast }), peer.port, peer.address);
  }

  private onMessage(msg: Buffer, from: { address: string; port: number }): void {
    let pkt: Incoming | null;
    try {
      pkt = parsePacket(msg);
    } catch {
      return; // not even a readable header: nothing to answer to
    }
    if (!pkt || pkt.dnet !== undefined) return;
    const peer: Peer = { ...from, source: pkt.source };
    const key = pkt.pduType === PDU.CONFIRMED ? String(pkt.service) : `u${pkt.service}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.o.onRequest?.(pkt.service, peer);
    if (pkt.pduType === PDU.UNCONFIRMED) {
      if (pkt.service === USVC.WHO_IS) this.whoIs(pkt.body, peer);
      return;
    }
    const id = pkt.invokeId!;
    if (pkt.segmented) return this.send(peer, apdu.abort(id, 4));
    try {
      const reply = this.confirmed(pkt.service, id, pkt.body, peer);
      if (reply.length > MAX_APDU) return this.send(peer, apdu.abort(id, 4)); // segmentation-not-supported
      this.send(peer, reply);
    } catch (err) {
      // Reject reasons (135 clause 18.8): 4 invalid-tag, 5 missing-required-parameter, 9 unrecognized-service.
      this.send(peer, apdu.reject(id, err instanceof DecodeError ? (err.message.startsWith('truncated') ? 5 : 4) : 0));
    }
  }

  private whoIs(body: Reader, peer: Peer): void {
    const low = body.optCtxUnsigned(0);
    const high = body.optCtxUnsigned(1);
    if (low !== undefined && high !== undefined && (this.o.instance < low || this.o.instance > high)) return;
    const w = new Writer()
      .app({ t: 'oid', type: OT.DEVICE, instance: this.o.instance })
      .app({ t: 'unsigned', v: MAX_APDU })
      .app({ t: 'enum', v: 3 }) // no-segmentation
      .app({ t: 'unsigned', v: VENDOR_ID });
    this.send(peer, apdu.unconfirmed(USVC.I_AM, w.toBuffer()));
  }

  private confirmed(service: number, id: number, body: Reader, peer: Peer): Buffer {
    switch (service) {
      case SVC.READ_PROPERTY: {
        const oid = body.ctxOid(0);
        const prop = body.ctxUnsigned(1);
        const index = body.optCtxUnsigned(2);
        const got = this.readProp(oid.type, oid.instance, prop, index);
        if ('error' in got) return apdu.error(id, service, got.cls, got.error);
        const w = new Writer().ctxOid(0, oid.type, oid.instance).ctxUnsigned(1, prop);
        if (index !== undefined) w.ctxUnsigned(2, index);
        w.open(3);
        for (const v of got.values) w.app(v);
        return apdu.complexAck(id, service, w.close(3).toBuffer());
      }
      case SVC.READ_PROPERTY_MULTIPLE:
        return this.readMultiple(id, body);
      case SVC.WRITE_PROPERTY: {
        const oid = body.ctxOid(0);
        const prop = body.ctxUnsigned(1);
        body.optCtxUnsigned(2);
        body.expectOpen(3);
        const value = body.app();
        body.expectClose(3);
        const priority = body.optCtxUnsigned(4);
        const obj = this.object(oid.type, oid.instance);
        if (!obj) return apdu.error(id, service, ERR_CLASS.OBJECT, ERR_CODE.UNKNOWN_OBJECT);
        const err = obj.write(prop, value, priority);
        if (err) return apdu.error(id, service, err.cls, err.code);
        this.notifyChanges();
        return apdu.simpleAck(id, service);
      }
      case SVC.SUBSCRIBE_COV: {
        const processId = body.ctxUnsigned(0);
        const oid = body.ctxOid(1);
        const obj = this.object(oid.type, oid.instance);
        if (!obj) return apdu.error(id, service, ERR_CLASS.OBJECT, ERR_CODE.UNKNOWN_OBJECT);
        const same = (s: Subscription) => s.processId === processId && s.object === obj && s.peer.address === peer.address && s.peer.port === peer.port;
        const existing = this.subscriptions.findIndex(same);
        if (body.done) {
          if (existing >= 0) this.subscriptions.splice(existing, 1); // cancellation
          return apdu.simpleAck(id, service);
        }
        const confirmed = body.ctxBool(2);
        const lifetime = body.optCtxUnsigned(3) ?? 0;
        const expires = lifetime === 0 ? Infinity : Date.now() + lifetime * 1000;
        const sub: Subscription = existing >= 0 ? this.subscriptions[existing] : { peer, processId, object: obj, confirmed, expires, last: null };
        sub.confirmed = confirmed;
        sub.expires = expires;
        if (existing < 0) this.subscriptions.push(sub);
        const ack = apdu.simpleAck(id, service);
        // The initial notification follows the ack (135 clause 13.14.1.3.1).
        setImmediate(() => {
          if (this.sock && this.subscriptions.includes(sub)) this.sendCov(sub, Date.now());
        });
        return ack;
      }
      default:
        return apdu.reject(id, 9);
    }
  }

  private readMultiple(id: number, body: Reader): Buffer {
    const w = new Writer();
    while (!body.done) {
      const oid = body.ctxOid(0);
      body.expectOpen(1);
      const refs: Array<{ prop: number; index?: number }> = [];
      while (!body.isContext(1, 'close')) {
        const prop = body.ctxUnsigned(0);
        const index = body.optCtxUnsigned(1);
        refs.push({ prop, index });
      }
      body.expectClose(1);
      w.ctxOid(0, oid.type, oid.instance).open(1);
      const expanded: Array<{ prop: number; index?: number }> = refs.flatMap((r) => (r.prop === PROP_ALL ? this.allProps(oid.type, oid.instance).map((prop) => ({ prop })) : [r]));
      for (const r of expanded) {
        w.ctxUnsigned(2, r.prop);
        if (r.index !== undefined) w.ctxUnsigned(3, r.index);
        const got = this.readProp(oid.type, oid.instance, r.prop, r.index);
        if ('error' in got) {
          w.open(5).app({ t: 'enum', v: got.cls }).app({ t: 'enum', v: got.error }).close(5);
        } else {
          w.open(4);
          for (const v of got.values) w.app(v);
          w.close(4);
        }
      }
      w.close(1);
    }
    return apdu.complexAck(id, SVC.READ_PROPERTY_MULTIPLE, w.toBuffer());
  }

  private allProps(type: number, instance: number): number[] {
    const candidates = type === OT.DEVICE
      ? [PROP.OBJECT_IDENTIFIER, PROP.OBJECT_NAME, PROP.OBJECT_TYPE, PROP.SYSTEM_STATUS, PROP.VENDOR_NAME, PROP.VENDOR_IDENTIFIER, PROP.MODEL_NAME]
      : [PROP.OBJECT_IDENTIFIER, PROP.OBJECT_NAME, PROP.OBJECT_TYPE, PROP.PRESENT_VALUE, PROP.DESCRIPTION, PROP.STATUS_FLAGS, PROP.EVENT_STATE,
        PROP.RELIABILITY, PROP.OUT_OF_SERVICE, PROP.UNITS, PROP.STATE_TEXT, PROP.NUMBER_OF_STATES, PROP.ACTIVE_TEXT, PROP.INACTIVE_TEXT,
        PROP.PRIORITY_ARRAY, PROP.RELINQUISH_DEFAULT, PROP.COV_INCREMENT];
    return candidates.filter((p) => !('error' in this.readProp(type, instance, p)));
  }

  private readProp(type: number, instance: number, prop: number, index?: number): { values: AppValue[] } | { cls: number; error: number } {
    if (type === OT.DEVICE && instance === this.o.instance) return this.readDevice(prop, index);
    const obj = this.object(type, instance);
    if (!obj) return { cls: ERR_CLASS.OBJECT, error: ERR_CODE.UNKNOWN_OBJECT };
    const got = obj.read(prop, index);
    if (got === undefined) return { cls: ERR_CLASS.PROPERTY, error: ERR_CODE.UNKNOWN_PROPERTY };
    if ('error' in got) return { cls: ERR_CLASS.PROPERTY, error: got.error };
    if (index !== undefined && prop !== PROP.PRIORITY_ARRAY && prop !== PROP.STATE_TEXT) return { cls: ERR_CLASS.PROPERTY, error: ERR_CODE.PROPERTY_IS_NOT_AN_ARRAY };
    return { values: got };
  }

  private readDevice(prop: number, index?: number): { values: AppValue[] } | { cls: number; error: number } {
    const v = (x: AppValue) => ({ values: [x] });
    if (index !== undefined && prop !== PROP.OBJECT_LIST) return { cls: ERR_CLASS.PROPERTY, error: ERR_CODE.PROPERTY_IS_NOT_AN_ARRAY };
    switch (prop) {
      case PROP.OBJECT_IDENTIFIER: return v({ t: 'oid', type: OT.DEVICE, instance: this.o.instance });
      case PROP.OBJECT_NAME: return v({ t: 'string', v: this.o.name });
      case PROP.OBJECT_TYPE: return v({ t: 'enum', v: OT.DEVICE });
      case PROP.SYSTEM_STATUS: return v({ t: 'enum', v: 0 }); // operational
      case PROP.VENDOR_NAME: return v({ t: 'string', v: 'Watchfloor simulator' });
      case PROP.VENDOR_IDENTIFIER: return v({ t: 'unsigned', v: VENDOR_ID });
      case PROP.MODEL_NAME: return v({ t: 'string', v: 'WF-DDC-SIM' });
      case PROP.PROTOCOL_VERSION: return v({ t: 'unsigned', v: 1 });
      case PROP.PROTOCOL_REVISION: return v({ t: 'unsigned', v: 14 });
      case PROP.MAX_APDU: return v({ t: 'unsigned', v: MAX_APDU });
      case PROP.SEGMENTATION_SUPPORTED: return v({ t: 'enum', v: 3 });
      case PROP.OBJECT_LIST: {
        const list: AppValue[] = [{ t: 'oid', type: OT.DEVICE, instance: this.o.instance }, ...this.o.objects.map((o) => ({ t: 'oid', type: o.type, instance: o.instance }) as AppValue)];
        if (index === undefined) return { values: list };
        if (index === 0) return v({ t: 'unsigned', v: list.length });
        if (index > list.length) return { cls: ERR_CLASS.PROPERTY, error: ERR_CODE.INVALID_ARRAY_INDEX };
        return v(list[index - 1]);
      }
      default:
        return { cls: ERR_CLASS.PROPERTY, error: ERR_CODE.UNKNOWN_PROPERTY };
    }
  }
}

/** Confirmed service choices the device serves (for request counts in tests). */
export const SERVICES = SVC;
