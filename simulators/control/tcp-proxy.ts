// A TCP proxy in front of a service the hub depends on (the history database), so a test run can
// take that service "down" without touching it: down() resets every open connection and refuses
// new ones (what a crashed or unreachable influxd looks like to the hub), up() lets them through
// again. The service itself keeps its data, so what the hub spooled meanwhile can be counted after.
import net from 'node:net';
import type { EndpointAccess } from './engine.js';

export interface TcpProxy extends EndpointAccess {
  /** `http://127.0.0.1:<port>`: the address to give the client instead of the service's. */
  readonly url: string;
  readonly port: number;
  readonly isDown: boolean;
  stop(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, opts: { host?: string; port?: number } = {}): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return void client.resetAndDestroy();
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    const close = () => {
      open.delete(client);
      open.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get isDown() {
      return down;
    },
    async down() {
      down = true;
      for (const s of [...open]) s.resetAndDestroy();
      open.clear();
    },
    async up() {
      down = false;
    },
    async stop() {
      down = true;
      for (const s of [...open]) s.destroy();
      open.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
