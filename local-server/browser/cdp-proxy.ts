/**
 * The CDP endpoint: `ws://<server>/cdp/<token>`. The WebSocket upgrade request is forwarded to the session's
 * Chromium DevTools port with only its path and Host rewritten, and from then on both sockets are piped
 * byte for byte: the server never parses WebSocket frames. Chromium itself refuses upgrades that carry an
 * Origin header (no `--remote-allow-origins`), so a web page that learnt a token still cannot connect.
 */
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export const CDP_PATH_PREFIX = '/cdp/';
const CONNECT_TIMEOUT_MS = 10_000;

export interface ProxyTarget {
  port: number;
  devtoolsPath: string;
  adopt(socket: Socket): void;
}

export function refuseUpgrade(socket: Duplex, status: number, reason: string, text: string): void {
  socket.on('error', () => undefined);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(text) + 2}\r\n\r\n${text}\r\n`);
}

/** The upgrade request as Chromium must see it: its own path and Host, every other header as the client sent it. */
function forwardedHead(req: IncomingMessage, target: ProxyTarget): string {
  const lines = [`GET ${target.devtoolsPath} HTTP/1.1`, `Host: 127.0.0.1:${target.port}`];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (name.toLowerCase() === 'host') continue;
    lines.push(`${name}: ${req.rawHeaders[i + 1]!}`);
  }
  return lines.join('\r\n') + '\r\n\r\n';
}

export function pipeToDevTools(req: IncomingMessage, client: Socket, head: Buffer, target: ProxyTarget): void {
  const upstream = connect({ host: '127.0.0.1', port: target.port });
  const fail = (): void => {
    upstream.destroy();
    client.destroy();
  };
  upstream.setTimeout(CONNECT_TIMEOUT_MS, fail);
  client.on('error', fail);
  upstream.on('error', fail);
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  upstream.once('connect', () => {
    upstream.setTimeout(0);
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    upstream.write(forwardedHead(req, target));
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  target.adopt(client);
  target.adopt(upstream);
}
