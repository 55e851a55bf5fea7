// The one interface of the notification module: a Message goes to people (usernames); channels
// deliver a rendered Outgoing to one address. Channels know nothing of policies or digests.
import type { LocalizedText } from '../../contracts/point.js';
import type { Trade, WoPriority } from '../../contracts/workorders.js';
import type { ChannelName } from '../workorders/schema.js';

export interface Message {
  /** Deduplication key: the same key to the same recipient within the window is sent once. */
  key: string;
  priority: WoPriority;
  trade?: Trade;
  area?: string;
  title: LocalizedText;
  body: LocalizedText;
  /** Console route, e.g. `#/workorders/12`; messages carry it as a deep link. */
  link: string;
  /** Every configured channel, whatever the policies say (critical alarm left unacknowledged). */
  allChannels?: boolean;
  /** Files for channels that can carry them (e-mail); others send the link only. Never digested. */
  attachments?: Attachment[];
}

/** A file sent with a message (a report PDF): read from `path` when the mail is sent. */
export interface Attachment { filename: string; path: string; contentType: string }

export type Lang = 'zh-CN' | 'en';

/** One rendered delivery: a single message or a digest of several. */
export interface Outgoing {
  lang: Lang;
  priority: WoPriority;
  subject: string;
  text: string;
  /** Absolute deep link (baseUrl + route). */
  url: string;
  /** Message ids this delivery carries (more than one: a digest). */
  messageIds: number[];
  /** Mobile numbers to @-mention in group robots. */
  mobiles: string[];
  /** Recipient usernames (console/push address people, robots a group). */
  users: string[];
  /** Only on a single (undigested) message that has them. */
  attachments?: Attachment[];
}

export interface Channel {
  readonly name: ChannelName;
  /** Resolves when the peer accepted the message; rejects with a reason otherwise. */
  send(to: string, out: Outgoing): Promise<void>;
}

export const DELIVERY_STATUSES = ['sent', 'failed', 'retrying', 'queued', 'digested', 'duplicate', 'held', 'no-address'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryRow {
  id: number;
  messageId: number;
  user: string;
  channel: ChannelName;
  /** Robot id for group channels. */
  address: string;
  status: DeliveryStatus;
  attempts: number;
  reason?: string;
  /** The delivery that carried it, when it went out in a digest. */
  digestOf?: number;
  updatedAt: number;
}
