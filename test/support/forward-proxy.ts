/**
 * A small forward proxy on loopback for tests: absolute-URI requests and CONNECT tunnels, recording
 * what passed (and the Proxy-Authorization it was sent), with optional Basic credentials.
 */
import * as http from 'node:http';
import * as net from 'node:net';

export interface ForwardProxy {
  port: number;
  url: string;
  /** Absolute-URI requests, as `METHOD url`. */
  forwarded: string[];
  /** The headers of each forwarded request, in the same order. */
  forwardedHeaders: http.IncomingHttpHeaders[];
  /** CONNECT targets (`host:port`). */
  tunnels: string[];
  /** Proxy-Authorization headers received (absolute requests and CONNECT). */
  authorizations: string[];
  close(): Promise<void>;
}

/** A forward proxy on loopback; with `credentials` (`user:password`) it answers 407 to anything else. */
export async function startForwardProxy(credentials?: string): Promise<ForwardProxy> {
  const expected = credentials ? `Basic ${Buffer.from(credentials).toString('base64')}` : undefined;
  const sockets = new Set<net.Socket>();
  const proxy: ForwardProxy = { port: 0, url: '', forwarded: [], forwardedHeaders: [], tunnels: [], authorizations: [], close: async () => undefined };
  const authorised = (header: string | undefined): boolean => {
    if (header) proxy.authorizations.push(header);
    return expected === undefined || header === expected;
  };
  const server = http.createServer((req, res) => {
    proxy.forwarded.push(`${req.method} ${req.url}`);
    proxy.forwardedHeaders.push({ ...req.headers });
    if (!authorised(req.headers['proxy-authorization'])) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end('proxy auth required');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request(req.url ?? '', { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    proxy.tunnels.push(req.url ?? '');
    if (!authorised(req.headers['proxy-authorization'])) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as net.AddressInfo).port;
  proxy.url = `http://127.0.0.1:${proxy.port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}
