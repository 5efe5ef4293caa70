/**
 * How a browser session reaches pages. Command sessions keep their empty network namespace; a session's
 * Chromium alone keeps the host's (bubblewrap `--share-net`), because its DevTools port must be reachable
 * by the server and pages need a network. What it may reach is then set by the server's `browserNetwork`:
 *
 * - `loopback` (default): every request goes through a proxy the server runs on loopback that refuses
 *   everything, except requests to loopback hosts (localhost, 127.0.0.0/8, [::1]), which Chromium sends
 *   directly. Chromium's implicit bypass list is replaced (`<-loopback>`), so link-local addresses (cloud
 *   metadata at 169.254.169.254) go to the refusing proxy too; WebRTC may not use UDP outside a proxy.
 *   A page on a test server works; the internet does not.
 * - `open`: Chromium uses the host's network as it is (and a caller's custom proxy, if given).
 *
 * The confinement is Chromium's own network stack, not the kernel: a page that compromised the renderer of
 * a `--no-sandbox` Chromium could open sockets. local-server/README.md says so.
 */
import { createServer, type Server, type Socket } from 'node:net';

export type BrowserNetwork = 'loopback' | 'open';

export const BROWSER_NETWORKS: readonly BrowserNetwork[] = ['loopback', 'open'];

/** What a page outside loopback shows (its title is what page_use_navigate reports). */
export const REFUSAL_TITLE = 'Blocked by the local AgentBay server';
const REFUSAL_PAGE = `<!doctype html><title>${REFUSAL_TITLE}</title><p>This local server lets browser sessions reach loopback hosts only `
  + '(browserNetwork "loopback"); start it with --browser-network open to reach other hosts.</p>';

const LOOPBACK_BYPASS = '<-loopback>;localhost;*.localhost;127.0.0.1/8;[::1]';

/** Whether a proxy URL's host is a loopback host (allowed as a custom proxy under `loopback`). */
export function isLoopbackProxy(server: string): boolean {
  let host: string;
  try {
    host = new URL(server.includes('://') ? server : `http://${server}`).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A loopback listener that answers every proxy request with 403: where `loopback` mode sends the rest of the world. */
export class RefusingProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  async url(): Promise<string> {
    if (this.server === undefined) {
      const server = createServer((socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
        socket.setTimeout(10_000, () => socket.destroy());
        socket.once('data', () => {
          socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(REFUSAL_PAGE)}\r\n\r\n${REFUSAL_PAGE}`);
        });
      });
      this.server = server;
      this.port = await new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          resolve(typeof address === 'object' && address !== null ? address.port : 0);
        });
      });
    }
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Chromium switches for the network mode; `customProxy` is the caller's proxy server, already checked. */
export async function networkSwitches(mode: BrowserNetwork, refusing: RefusingProxy, customProxy: string | undefined): Promise<string[]> {
  if (mode === 'open') return customProxy === undefined ? [] : [`--proxy-server=${customProxy}`];
  return [
    `--proxy-server=${customProxy ?? (await refusing.url())}`,
    `--proxy-bypass-list=${LOOPBACK_BYPASS}`,
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  ];
}
