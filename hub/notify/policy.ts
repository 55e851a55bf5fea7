// Who is told what: the channels of every policy that matches a message's priority, trade and
// area; quiet hours for non-critical messages. Pure.
import { localParts } from '../../contracts/timezone.js';
import type { ChannelName, NotifyConfig } from '../workorders/schema.js';
import { CHANNELS } from '../workorders/schema.js';
import type { Message } from './types.js';

const covers = (prefix: string, area: string) => area === prefix || area.startsWith(`${prefix}/`);

export function channelsFor(m: Pick<Message, 'priority' | 'trade' | 'area' | 'allChannels'>, policies: NotifyConfig['policies']): Set<ChannelName> {
  if (m.allChannels) return new Set(CHANNELS);
  const out = new Set<ChannelName>();
  for (const p of policies) {
    if (p.priorities && !p.priorities.includes(m.priority)) continue;
    if (p.trades && (!m.trade || !p.trades.includes(m.trade))) continue;
    if (p.areas && (!m.area || !p.areas.some((a) => covers(a, m.area!)))) continue;
    for (const c of p.channels) out.add(c);
  }
  return out;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** End of the quiet period `now` falls in (ms), or null when `now` is outside quiet hours. */
export function quietUntil(now: number, timezone: string, quiet: NotifyConfig['quietHours']): number | null {
  if (!quiet) return null;
  const p = localParts(now, timezone);
  const m = p.hour * 60 + p.minute;
  const from = minutes(quiet.from);
  const to = minutes(quiet.to);
  const inside = from <= to ? m >= from && m < to : m >= from || m < to;
  if (!inside) return null;
  const left = (to - m + 1440) % 1440 || 1440;
  return now - (p.second * 1000 + (now % 1000)) + left * 60_000;
}
