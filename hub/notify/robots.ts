// WeCom (企业微信) and DingTalk (钉钉, also 浙政钉-style group robots) webhooks, in their documented
// formats. DingTalk 加签: sign = urlencode(base64(HmacSHA256(key=secret, timestamp + "\n" + secret))),
// sent as the `timestamp` and `sign` query parameters. Both answer HTTP 200 with {errcode, errmsg};
// errcode ≠ 0 is a failure.
import { createHmac } from 'node:crypto';
import type { Channel, Outgoing } from './types.js';

export function dingtalkSign(timestamp: number, secret: string): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64'));
}

/** The webhook URL with the signature parameters added. */
export function dingtalkSignedUrl(url: string, secret: string | undefined, timestamp: number): string {
  if (!secret) return url;
  return `${url}${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${dingtalkSign(timestamp, secret)}`;
}

/** https://developer.work.weixin.qq.com/document/path/91770 — text message with @mobile mentions. */
export function wecomBody(out: Outgoing): unknown {
  return { msgtype: 'text', text: { content: out.text, mentioned_mobile_list: out.mobiles } };
}

/** https://open.dingtalk.com/document/robots/custom-robot-access — markdown; mentions are @mobile in the text plus at.atMobiles. */
export function dingtalkBody(out: Outgoing): unknown {
  const mentions = out.mobiles.map((m) => `@${m}`).join(' ');
  const text = `### ${out.subject}\n\n${out.text.split('\n').slice(1).join('\n\n')}\n\n[${out.lang === 'en' ? 'Open' : '打开'}](${out.url})${mentions ? `\n\n${mentions}` : ''}`;
  return { msgtype: 'markdown', markdown: { title: out.subject, text }, at: { atMobiles: out.mobiles, isAtAll: false } };
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body), signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  let answer: { errcode?: number; errmsg?: string };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new Error(`answer is not JSON: ${text.slice(0, 200)}`);
  }
  if (answer.errcode !== 0) throw new Error(`errcode ${answer.errcode}: ${answer.errmsg ?? ''}`);
}

export class RobotChannel implements Channel {
  constructor(
    readonly name: 'wecom' | 'dingtalk',
    private readonly url: string,
    private readonly secret?: string,
    private readonly now: () => number = Date.now,
  ) {}

  async send(_to: string, out: Outgoing): Promise<void> {
    if (this.name === 'wecom') return postJson(this.url, wecomBody(out));
    return postJson(dingtalkSignedUrl(this.url, this.secret, this.now()), dingtalkBody(out));
  }
}
