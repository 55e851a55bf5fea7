// A UDP transport for the npm BACnet stack that can bind any local port. The stack's own
// transport treats port 0 as 47808, so two drivers (or a driver and a tool) on one machine would
// fight over that port; here a configurable port, 0 meaning "any free one", since a device answers
// every confirmed request (and sends COV notifications) to the address the request came from.
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';

const DEFAULT_PORT = 47808;

export class UdpTransport extends EventEmitter {
  private readonly sock: dgram.Socket;
  private closed = false;

  constructor(private readonly o: { localAddress: string; localPort: number; broadcastAddress?: string }) {
    super();
    this.sock = dgram.createSocket({ type: 'udp4', reuseAddr: o.localPort !== 0 });
    this.sock.on('message', (msg, rinfo) => {
      // The stack's address convention: "ip" for 47808, "ip:port" otherwise.
      this.emit('message', msg, rinfo.port === DEFAULT_PORT ? rinfo.address : `${rinfo.address}:${rinfo.port}`);
    });
    this.sock.on('error', (err) => this.emit('error', err));
    this.sock.on('listening', () => this.emit('listening', this.sock.address()));
  }

  open(): void {
    this.sock.bind(this.o.localPort, this.o.localAddress, () => {
      try {
        // COV notifications arrive in bursts (a panel that steps 1,000 values sends 1,000 datagrams
        // at once); a bigger receive buffer keeps the kernel from dropping them, up to rmem_max.
        this.sock.setRecvBufferSize(4 * 1024 * 1024);
      } catch {
        /* capped by the OS: keep its default */
      }
      try {
        this.sock.setBroadcast(true);
      } catch {
        /* loopback-only binds may refuse broadcast; unicast still works */
      }
    });
  }

  /** Resolves once bound (the stack does not wait for it). */
  ready(): Promise<{ address: string; port: number }> {
    return new Promise((resolve, reject) => {
      try {
        const a = this.sock.address();
        resolve({ address: a.address, port: a.port });
      } catch {
        this.once('listening', (a: { address: string; port: number }) => resolve(a));
        this.once('error', reject);
      }
    });
  }

  getBroadcastAddress(): string {
    return this.o.broadcastAddress ?? '255.255.255.255';
  }

  getMaxPayload(): number {
    return 1482;
  }

  send(buffer: Buffer, offset: number, receiver?: string): void {
    if (this.closed) return;
    const target = receiver ?? this.getBroadcastAddress();
    const i = target.lastIndexOf(':');
    const host = i > 0 ? target.slice(0, i) : target;
    const port = i > 0 ? Number(target.slice(i + 1)) : DEFAULT_PORT;
    this.sock.send(buffer, 0, offset, port, host);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.sock.close();
    } catch {
      /* already closed */
    }
  }
}
