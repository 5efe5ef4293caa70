/**
 * HTTPS beside HTTP on the same port. The official SDK always speaks HTTPS to its endpoint, while
 * this package's client and curl users speak plain HTTP to a loopback server; serving both on one
 * port lets one `host:port` endpoint work for all of them, unchanged.
 *
 * The certificate is self-signed, made once with the `openssl` command and kept in the given
 * directory; clients trust it through NODE_EXTRA_CA_CERTS (Node) or `curl --cacert`.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, readFile } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import * as path from 'node:path';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  /** The certificate file, to hand to clients as their trusted CA. */
  certFile: string;
}

/** First byte of a TLS ClientHello record (content type "handshake"). */
const TLS_HANDSHAKE = 0x16;
/** A connection that sends nothing for this long is dropped before it is handed on. */
const FIRST_BYTE_TIMEOUT_MS = 30_000;
const OPENSSL_TIMEOUT_MS = 20_000;

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: OPENSSL_TIMEOUT_MS }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${String(stderr).trim() || error.message}`));
      else resolve();
    });
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * Loads `cert.pem` / `key.pem` from `dir`, making them first when absent: a P-256 key and a
 * certificate for localhost, 127.0.0.1 and ::1 (plus `extraHost` when the server binds elsewhere).
 */
export async function loadOrCreateCertificate(dir: string, extraHost?: string): Promise<TlsMaterial> {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  if (!(await exists(certFile)) || !(await exists(keyFile))) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const names = ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1'];
    if (extraHost && !['localhost', '127.0.0.1', '::1', '0.0.0.0', '::', ''].includes(extraHost)) {
      names.push(/^[\d.]+$|:/.test(extraHost) ? `IP:${extraHost}` : `DNS:${extraHost}`);
    }
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '825',
      '-subj', '/CN=AgentBay local server', '-addext', `subjectAltName=${names.join(',')}`,
    ]);
  }
  const [key, cert] = await Promise.all([readFile(keyFile), readFile(certFile)]);
  return { key, cert, certFile };
}

/**
 * A listener that looks at each connection's first byte and hands the socket to the HTTPS
 * server (TLS handshake) or the HTTP server (anything else). Both keep their own connection
 * bookkeeping, so closeIdleConnections / closeAllConnections work on each as usual.
 */
export interface ProtocolSniffer {
  listener: NetServer;
  /**
   * Node's HTTP servers start their connection bookkeeping (idle tracking, header and request
   * timeouts) when they emit 'listening'; here only the sniffer listens, so it is passed on.
   */
  announceListening(): void;
  /** Destroys every connection, decided or not: the last step of closing. */
  destroyAll(): void;
}

export function protocolSniffer(http: HttpServer, https: HttpsServer | undefined): ProtocolSniffer {
  const open = new Set<Socket>();
  const listener = createNetServer((socket: Socket) => {
    open.add(socket);
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('error', () => socket.destroy());
    socket.once('close', () => open.delete(socket));
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(chunk);
      const target = https && chunk[0] === TLS_HANDSHAKE ? https : http;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return {
    listener,
    announceListening: () => {
      http.emit('listening');
      https?.emit('listening');
    },
    destroyAll: () => {
      for (const socket of open) socket.destroy();
      open.clear();
    },
  };
}
