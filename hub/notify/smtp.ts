// E-mail over SMTP (nodemailer). Plain text plus a small HTML part, both with the deep link.
import nodemailer from 'nodemailer';
import type { Channel, Outgoing } from './types.js';

export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  from: string;
  user?: string;
  pass?: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class SmtpChannel implements Channel {
  readonly name = 'email' as const;
  private readonly transport;

  constructor(private readonly o: SmtpOptions) {
    this.transport = nodemailer.createTransport({
      host: o.host, port: o.port, secure: o.secure,
      ...(o.user ? { auth: { user: o.user, pass: o.pass ?? '' } } : {}),
      connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
    });
  }

  async send(to: string, out: Outgoing): Promise<void> {
    const html = `<p>${out.text.split('\n').map(escape).join('<br>')}</p><p><a href="${escape(out.url)}">${out.lang === 'en' ? 'Open in Watchfloor' : '在 Watchfloor 中打开'}</a></p>`;
    await this.transport.sendMail({
      from: this.o.from, to, subject: out.subject, text: out.text, html,
      ...(out.attachments?.length ? { attachments: out.attachments.map((a) => ({ filename: a.filename, path: a.path, contentType: a.contentType })) } : {}),
      priority: out.priority === 'critical' || out.priority === 'high' ? 'high' : out.priority === 'low' ? 'low' : 'normal',
      headers: {
        'Content-Language': out.lang,
        'X-Watchfloor-Messages': out.messageIds.join(','),
        'X-Watchfloor-Link': out.url,
      },
    });
  }

  close(): void {
    this.transport.close();
  }
}
