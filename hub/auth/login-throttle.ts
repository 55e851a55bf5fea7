// Login throttling per client address and per (address, username), with growing delays.
// Never per username alone: that let anyone lock the guard out at shift change with five bad
// passwords. A refused attempt costs no password hash, so a flood from one address is cheap,
// while a user on another address signs in as usual.

export interface ThrottleRule {
  /** Failures allowed without delay. */
  free: number;
  /** Delay after the first failure beyond `free`; it doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures older than this (since the last one) are forgotten. */
  forgetMs: number;
}

export interface ThrottleRules { address: ThrottleRule; pair: ThrottleRule; maxEntries: number }

export const DEFAULT_THROTTLE: ThrottleRules = {
  // An office behind one NAT address: room for a few people's typos before it slows down.
  address: { free: 20, baseDelayMs: 1000, maxDelayMs: 5 * 60_000, forgetMs: 15 * 60_000 },
  pair: { free: 4, baseDelayMs: 2000, maxDelayMs: 15 * 60_000, forgetMs: 15 * 60_000 },
  maxEntries: 100_000,
};

interface Failures { count: number; last: number }

/** Delay before the next attempt after `count` failures, the last at `last`: ms from `now`, 0 = go. Pure. */
export function waitMs(rule: ThrottleRule, f: Failures | undefined, now: number): number {
  if (!f || now - f.last >= rule.forgetMs || f.count < rule.free) return 0;
  const delay = Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(30, f.count - rule.free));
  return Math.max(0, f.last + delay - now);
}

/**
 * The throttling key of an address: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its /64, since one
 * host owns a whole /64 and could otherwise rotate through it. Pure.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const v4 = address.match(/^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i);
  if (v4) return v4[1];
  if (!address.includes(':')) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export type ThrottleVerdict = { ok: true } | { ok: false; retryAfterMs: number; scope: 'address' | 'user' };

export class LoginThrottle {
  private readonly byAddress = new Map<string, Failures>();
  private readonly byPair = new Map<string, Failures>();

  constructor(private readonly rules: ThrottleRules = DEFAULT_THROTTLE) {}

  check(address: string, username: string, now: number): ThrottleVerdict {
    const a = waitMs(this.rules.address, this.byAddress.get(address), now);
    const p = waitMs(this.rules.pair, this.byPair.get(pairKey(address, username)), now);
    if (a === 0 && p === 0) return { ok: true };
    return a >= p ? { ok: false, retryAfterMs: a, scope: 'address' } : { ok: false, retryAfterMs: p, scope: 'user' };
  }

  fail(address: string, username: string, now: number): void {
    bump(this.byAddress, address, now, this.rules.address.forgetMs);
    bump(this.byPair, pairKey(address, username), now, this.rules.pair.forgetMs);
    if (this.byAddress.size + this.byPair.size > this.rules.maxEntries) this.sweep(now);
  }

  /** A correct password clears this address's record for that user (not the address's). */
  succeed(address: string, username: string): void {
    this.byPair.delete(pairKey(address, username));
  }

  /** Forgets expired records; when still too many (a spray from a botnet), the oldest go. */
  sweep(now: number): void {
    for (const [map, rule] of [[this.byAddress, this.rules.address], [this.byPair, this.rules.pair]] as const) {
      for (const [k, f] of map) if (now - f.last >= rule.forgetMs) map.delete(k);
    }
    for (const map of [this.byPair, this.byAddress]) {
      // Maps iterate in insertion order and bump() re-inserts, so the first keys are the stalest.
      const excess = this.byAddress.size + this.byPair.size - Math.floor(this.rules.maxEntries * 0.9);
      if (excess <= 0) break;
      let n = 0;
      for (const k of map.keys()) {
        if (n++ >= excess) break;
        map.delete(k);
      }
    }
  }

  get size(): number {
    return this.byAddress.size + this.byPair.size;
  }
}

const pairKey = (address: string, username: string) => `${address}\n${username}`;

function bump(map: Map<string, Failures>, key: string, now: number, forgetMs: number): void {
  const f = map.get(key);
  const count = f && now - f.last < forgetMs ? f.count + 1 : 1;
  map.delete(key);
  map.set(key, { count, last: now });
}
