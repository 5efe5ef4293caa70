/**
 * An https.Agent whose connections are CONNECT tunnels through an HTTP proxy, so TLS runs end to
 * end between this process and the AgentBay endpoint and the proxy sees only the host and port.
 * It is an ordinary keep-alive agent otherwise: tunnels are pooled per target like sockets.
 * (axios's own `proxy` option tunnels only in its newest releases; this works with every axios 1.x.)
 */
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ProxyEndpoint } from './proxy';

/** Longest wait for the proxy to accept the connection and answer CONNECT. */
export const TUNNEL_SETUP_TIMEOUT_MS = 30_000;
/** Cap on the proxy's CONNECT answer head; a proxy sending more is not speaking HTTP. */
const MAX_CONNECT_RESPONSE_BYTES = 16 * 1024;

/** The proxy could not be used; the message names the proxy (never its credentials). */
export class ProxyTunnelError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ProxyTunnelError';
  }
}

type ConnectionCallback = (error: Error | null, socket?: Duplex) => void;

export class ProxyTunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: ProxyEndpoint,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  /** Node's Agent waits for the callback when this returns nothing. */
  override createConnection(options: tls.ConnectionOptions & { host?: string; port?: number | string }, callback: ConnectionCallback): undefined {
    const host = options.host ?? 'localhost';
    const port = Number(options.port) || 443;
    openTunnel(this.proxy, host, port).then(
      (socket) => {
        const secure = tls.connect({
          socket,
          host,
          servername: options.servername || (net.isIP(host) ? undefined : host),
          ca: options.ca,
          rejectUnauthorized: options.rejectUnauthorized,
          ALPNProtocols: ['http/1.1'],
        });
        callback(null, secure);
      },
      (error: Error) => callback(error),
    );
    return undefined;
  }
}

/** A socket through which bytes reach `host:port`, after the proxy answered CONNECT with 200. */
export function openTunnel(proxy: ProxyEndpoint, host: string, port: number): Promise<net.Socket> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: proxy.hostname, port: proxy.port });
    let head = Buffer.alloc(0);
    let settled = false;
    const fail = (error: ProxyTunnelError) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(error);
    };
    const onTimeout = () =>
      fail(new ProxyTunnelError(`Proxy ${proxy.display} did not open a tunnel to ${authority} within ${TUNNEL_SETUP_TIMEOUT_MS} ms`, 'ETIMEDOUT'));
    socket.setTimeout(TUNNEL_SETUP_TIMEOUT_MS, onTimeout);
    socket.once('connect', () => {
      const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
      if (proxy.authorization) lines.push(`Proxy-Authorization: ${proxy.authorization}`);
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      fail(new ProxyTunnelError(`Could not reach proxy ${proxy.display}: ${error.code ?? error.message}`, error.code ?? 'EPROXY')),
    );
    socket.on('close', () => fail(new ProxyTunnelError(`Proxy ${proxy.display} closed the connection before opening a tunnel to ${authority}`, 'ECONNRESET')));
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_CONNECT_RESPONSE_BYTES) fail(new ProxyTunnelError(`Proxy ${proxy.display} sent an oversized answer to CONNECT`, 'EPROXY'));
        return;
      }
      const statusLine = head.subarray(0, Math.min(end, 200)).toString('latin1').split('\r\n')[0];
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
      if (status !== '200') {
        const reason = status === '407' ? ' (check the proxy user name and password)' : '';
        const answer = status ? `HTTP ${statusLine.slice(9).replace(/[^\x20-\x7e]/g, '').slice(0, 100)}` : 'an answer that is not HTTP';
        fail(new ProxyTunnelError(`Proxy ${proxy.display} refused a tunnel to ${authority}: ${answer}${reason}`, status === '407' ? 'EPROXYAUTH' : 'EPROXY'));
        return;
      }
      // The error and close listeners stay (no-ops once settled), so a late raw-socket error is never unhandled.
      settled = true;
      socket.removeListener('data', onData);
      socket.removeListener('timeout', onTimeout);
      socket.setTimeout(0);
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('data', onData);
  });
}
