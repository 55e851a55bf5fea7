// nginx configuration for hubs behind one address, as a pure text builder (the bench renders one for
// loopback; deploy/nginx/watchfloor.conf is the production sample). ip_hash keeps each Socket.IO
// client on one hub, which its polling → WebSocket upgrade needs.
export interface NginxOptions {
  listenPort: number;
  hubs: Array<{ host: string; port: number }>;
  /** Folder nginx may write its pid, temp files and logs to (not root-owned defaults). */
  prefix: string;
  user?: string;
  /**
   * How a client stays on one hub: 'ip' (ip_hash, default) or 'cookie' (a consistent hash of the
   * session cookie: clients behind one NAT address spread over the hubs once signed in).
   */
  sticky?: 'ip' | 'cookie';
}

export function nginxConfig(o: NginxOptions): string {
  return `${o.user ? `user ${o.user};\n` : ''}worker_processes 1;
pid ${o.prefix}/nginx.pid;
error_log ${o.prefix}/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${o.prefix}/body;
  proxy_temp_path ${o.prefix}/proxy;
  fastcgi_temp_path ${o.prefix}/fastcgi;
  uwsgi_temp_path ${o.prefix}/uwsgi;
  scgi_temp_path ${o.prefix}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream watchfloor_hubs {
    ${o.sticky === 'cookie' ? 'hash $cookie_wf_session consistent;' : 'ip_hash;'}
${o.hubs.map((h) => `    server ${h.host}:${h.port} max_fails=1 fail_timeout=2s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${o.listenPort};
    proxy_buffering off;
    location / {
      proxy_pass http://watchfloor_hubs;
      proxy_http_version 1.1;
      # $http_host keeps the port, so the hub's same-origin check (hub/auth/origin.ts) matches the page.
      proxy_set_header Host $http_host;
      # The hub believes this only from hub.yaml trustedProxies (hub/auth/client-address.ts).
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 1s;
      proxy_read_timeout 75s;
    }
  }
}
`;
}
