/**
 * The local AgentBay-compatible server: `POST /?Action=...` with a form body and a JSON
 * envelope, as the cloud speaks it (docs/protocol.md §2), so the official SDK and this package's
 * client work against it unchanged. Plain `node:http`, loopback by default.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { refuseUpgrade } from './browser/cdp-proxy';
import { BrowserService } from './browser/browser-service';
import { BrowserUsers, DEFAULT_BROWSER_UIDS, type UidRange } from './browser/browser-users';
import type { BrowserNetwork } from './browser/network';
import { handleActionRequest } from './dispatch';
import { FaultInjector, type FaultOptions, type FaultStats } from './faults';
import { newApiKey } from './ids';
import { errorEnvelope, newRequestId } from './protocol/envelope';
import { ApiError } from './protocol/errors';
import { answerClientError, DEFAULT_MAX_BODY_BYTES, sendJson } from './protocol/http-io';
import { pathOf } from './protocol/params';
import { createWorkspaceFactory } from './sandbox';
import type { IsolationMode, LimitMechanisms, SessionLimits, WorkspaceFactory } from './sandbox/contract';
import { SessionStore } from './session-store';
import type { ContextService } from './contexts';
import { FILE_URL_PREFIX, FileUrlSigner, handleFileUrl } from './contexts/file-urls';
import { ContextStore, type ContextLimits } from './contexts/store';
import { ContextSyncs } from './contexts/sync';
import { loadOrCreateCertificate, protocolSniffer } from './tls';
import { toolCatalogue } from './tools/catalogue';
import { withoutBinaryFormat } from './tools/without-binary-format';
import { describeLanguages } from './tools/kernels/languages';

export type { FaultOptions, FaultStats } from './faults';
export type { BrowserNetwork } from './browser/network';
export type { LimitMechanisms, SessionLimits } from './sandbox/contract';

export interface LocalServerOptions {
  /** Default `127.0.0.1`. Anything else exposes the sandboxes to the network. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default: a fresh `akl-<32 hex>` key. */
  apiKey?: string;
  /**
   * Sessions live in `<dataDir>/sessions/<id>/`, contexts in `<dataDir>/contexts/` (kept across
   * restarts with the same dir). Default: a fresh temp dir, removed on close.
   */
  dataDir?: string;
  isolation?: 'auto' | IsolationMode;
  /**
   * Per-session limits (0 = none). Defaults: memory 1 GiB, disk 1 GiB (/home/wuying and /tmp
   * together), 256 processes, 600 CPU seconds per process. See local-server/README.md for what
   * enforces each one on which machine.
   */
  limits?: Partial<SessionLimits>;
  /** Turns off a kernel mechanism behind the limits (default: use what the machine allows). */
  limitMechanisms?: LimitMechanisms;
  /** Sessions without a request for this long are deleted. Default 30 min; 0 disables. */
  idleTimeoutMs?: number;
  /** How long a deleted session stays DELETING before it is gone. Default 300 ms. */
  deleteDelayMs?: number;
  /**
   * How long a deleted session stays queryable as DELETED (GetSession, GetSessionDetail's FINISH,
   * ListSession Status=DELETED) once its workspace is gone. Default 5 min; 0 forgets it at once.
   */
  deletedRetentionMs?: number;
  /** How long PAUSING / RESUMING last at least. Default 300 ms. */
  transitionDelayMs?: number;
  /** Context sync tasks report `Running` at least this long; ClearContext reports `clearing` as long. Default 600 ms. */
  contextSyncDelayMs?: number;
  /** How long a context file URL stays valid. Default 1 h. */
  contextUrlTtlMs?: number;
  /** Largest context file (URL upload or sync). Default 2 GiB. */
  maxContextFileBytes?: number;
  /** Default 32 MiB; larger bodies get HTTP 413. */
  maxBodyBytes?: number;
  faults?: FaultOptions;
  /** One line per request and per session event. Never receives the API key. */
  log?: (line: string) => void;
  /**
   * Also answer HTTPS on the same port (the official SDK always uses HTTPS), with a self-signed
   * certificate kept in `tlsDir` (default `<dataDir>/tls`). Needs the `openssl` command. Default off.
   */
  tls?: boolean;
  tlsDir?: string;
  /**
   * Whether `read_file` / `write_file` offer and honour `format: "binary"` (this package's extension).
   * Default true; false behaves as the cloud (text only), so clients take the file-transfer path.
   */
  binaryFileFormat?: boolean;
  /**
   * What browser sessions' Chromium may reach (local-server/browser/network.ts): `loopback` (default) only hosts
   * on this machine's loopback, `open` the host's whole network. Command sessions have no network either way.
   */
  browserNetwork?: BrowserNetwork;
  /** The Chromium binary; default `AGENTBAY_LOCAL_CHROMIUM`, else Debian's or another usual path. */
  chromiumPath?: string;
  /**
   * The uids (and same-numbered gids) each session's browser runs as, one per session, when the server runs as root
   * (local-server/browser/browser-users.ts). Default: 65536 ids from 1999000000.
   */
  browserUids?: UidRange;
  /** Test seam: use this sandbox instead of `createWorkspaceFactory`. */
  workspaceFactory?: WorkspaceFactory;
}

export interface LocalServer {
  /** e.g. `http://127.0.0.1:8720`. */
  readonly url: string;
  /** `host:port`, the form the SDK's endpoint setting wants. */
  readonly endpoint: string;
  readonly apiKey: string;
  readonly isolation: IsolationMode;
  /** Why isolation is weaker than asked for; empty when it is not. */
  readonly isolationNote: string;
  /** Each per-session limit and what enforces it. */
  readonly limitsSummary: string;
  /** Limits not (or only partly) enforced per session on this machine; empty when all are. */
  readonly limitsNote: string;
  /** What browser sessions may reach. */
  readonly browserNetwork: BrowserNetwork;
  /** The Chromium browser sessions run, or null when none is installed. */
  readonly chromium: string | null;
  /** Which user each session's browser runs as, and why, in one line. */
  readonly browserUsers: string;
  /** run_code's languages and whether each is installed here (Python: with which rich-output packages). */
  readonly codeLanguages: string;
  readonly dataDir: string;
  /** The self-signed certificate clients must trust for HTTPS; undefined when HTTPS is off. */
  readonly tlsCertFile: string | undefined;
  /** Sessions whose workspace still exists (DELETING included); retained DELETED ones do not count. */
  sessionCount(): number;
  setFaults(faults: FaultOptions): void;
  /** Requests counted and faults injected since the last `setFaults`. */
  faultStats(): FaultStats;
  /** Destroys all sessions, closes keep-alive sockets and stops listening. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const DEFAULT_DELETED_RETENTION_MS = 5 * 60 * 1000;

/** A URL host for the bound address: wildcards map to loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Non-API paths. ResourceUrl and GetLink point under /sessions/, but nothing is tunnelled. */
function handleOtherPath(req: IncomingMessage, res: ServerResponse): void {
  const requestId = newRequestId();
  const error = pathOf(req.url ?? '').startsWith('/sessions/')
    ? new ApiError('NotImplemented', 'The local server has no remote desktop or port tunnel; this URL is a placeholder.', 501)
    : new ApiError('InvalidPath', 'Send API requests to POST /?Action=<Action>.', 404);
  // Drain any body so the answer is not lost to a socket reset.
  req.resume();
  sendJson(res, error.httpStatus, errorEnvelope(requestId, error), { 'x-acs-request-id': requestId });
}

function optionalLimits(maxFileBytes: number | undefined): Partial<ContextLimits> {
  return maxFileBytes === undefined ? {} : { maxFileBytes };
}

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((): void => undefined);
  const apiKey = options.apiKey ?? newApiKey();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = ownsDataDir ? await mkdtemp(path.join(tmpdir(), 'agentbay-local-')) : path.resolve(options.dataDir ?? '.');
  await mkdir(dataDir, { recursive: true });
  const browserUids = options.browserUids ?? DEFAULT_BROWSER_UIDS;
  const browserUsers = new BrowserUsers(browserUids);
  // A root server's browsers run as their own users, through a bubblewrap that must reach the sessions: a data
  // directory made here (mode 0700) lets their group through, and no one else.
  if (ownsDataDir && process.getuid?.() === 0) {
    await chown(dataDir, 0, browserUsers.gid);
    await chmod(dataDir, 0o710);
  }

  const factory =
    options.workspaceFactory ??
    (await createWorkspaceFactory({
      baseDir: path.join(dataDir, 'sessions'),
      catalogue: options.binaryFileFormat === false ? withoutBinaryFormat(toolCatalogue) : toolCatalogue,
      isolation: options.isolation ?? 'auto',
      limits: options.limits,
      limitMechanisms: options.limitMechanisms,
      userSwitchGid: browserUsers.gid,
    }));
  const contextSyncDelayMs = options.contextSyncDelayMs ?? 600;
  const contextStore = await ContextStore.open(path.join(dataDir, 'contexts'), optionalLimits(options.maxContextFileBytes), log);
  const syncs = new ContextSyncs(contextStore, contextSyncDelayMs, log);
  const contexts: ContextService = {
    store: contextStore,
    syncs,
    urls: new FileUrlSigner(options.contextUrlTtlMs ?? 3600_000),
    clearDelayMs: contextSyncDelayMs,
    pending: new Set(),
  };
  const userSwitch = factory.userSwitch ?? { available: false, note: 'this sandbox cannot switch users' };
  const browsers = new BrowserService({
    network: options.browserNetwork ?? 'loopback',
    chromium: options.chromiumPath,
    ...(userSwitch.available ? { users: browserUsers } : {}),
    log,
  });
  const browserUsersLine = userSwitch.available
    ? `its own user per session (uids ${browserUids.first + 1}-${browserUids.first + browserUids.count - 1}, gid ${browserUsers.gid})`
    : `the session's command user (${userSwitch.note})`;
  const store = new SessionStore({
    factory,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    deleteDelayMs: options.deleteDelayMs ?? 300,
    deletedRetentionMs: options.deletedRetentionMs ?? DEFAULT_DELETED_RETENTION_MS,
    transitionDelayMs: options.transitionDelayMs ?? 300,
    // The browser first: closing it flushes a persistent profile before the context upload reads it.
    beforeDestroy: async (record) => {
      await browsers.release(record.id);
      await syncs.release(record.id, true);
    },
    log,
  });
  const faults = new FaultInjector(options.faults);
  const info = { url: '' };

  const handleRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const urlPath = pathOf(req.url ?? '');
    if (urlPath.startsWith(FILE_URL_PREFIX)) {
      handleFileUrl(req, res, contexts.urls, contextStore).catch((err: unknown) => {
        log(`context file URL error: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) sendJson(res, 500, { Code: 'InternalError', Message: 'The local server failed to handle the request; see its log.', HttpStatusCode: 500, Success: false });
        else res.destroy();
      });
      return;
    }
    if (urlPath !== '/') {
      handleOtherPath(req, res);
      return;
    }
    handleActionRequest(req, res, {
      apiKey,
      store,
      factory,
      server: info,
      contexts,
      browsers,
      faults,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      log,
    }).catch((err: unknown) => log(`unhandled request error: ${err instanceof Error ? err.message : String(err)}`));
  };
  const server = createServer(handleRequest);
  let secureServer: HttpsServer | undefined;
  let tlsCertFile: string | undefined;
  if (options.tls) {
    try {
      const material = await loadOrCreateCertificate(options.tlsDir ?? path.join(dataDir, 'tls'), host);
      secureServer = createHttpsServer({ key: material.key, cert: material.cert }, handleRequest);
      tlsCertFile = material.certFile;
    } catch (err) {
      await store.closeAll();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      throw err;
    }
  }
  const sniffer = protocolSniffer(server, secureServer);
  const { listener } = sniffer;
  const httpServers = secureServer ? [server, secureServer] : [server];

  // The CDP endpoint (ws://.../cdp/<token>) is a WebSocket upgrade; anything else asking to upgrade is refused.
  for (const each of httpServers) {
    each.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!browsers.handleUpgrade(req, socket, head)) refuseUpgrade(socket, 404, 'Not Found', 'No WebSocket endpoint at this path.');
    });
  }

  // Over-long URLs or headers (431), malformed HTTP (400): a JSON envelope, not Node's bare status.
  server.on('clientError', answerClientError);

  // Longer than common client idle timeouts (Node's agent uses 5 s): if the server closed idle
  // keep-alive sockets first, a client could race a request onto a closing socket.
  for (const each of httpServers) {
    each.keepAliveTimeout = 65_000;
    each.headersTimeout = 66_000;
  }

  let port: number;
  try {
    port = await listen(listener, options.port ?? 0, host);
    sniffer.announceListening();
  } catch (err) {
    await store.closeAll();
    await factory.close?.();
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `${urlHost(host)}:${port}`;
  info.url = `http://${endpoint}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const each of httpServers) each.close(); // stops their timeout checks, drops idle keep-alives
      await store.closeAll();
      await browsers.close();
      await factory.close?.();
      await Promise.all([...contexts.pending]);
      await contextStore.flush();
      sniffer.destroyAll();
      await stopped;
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    })();
    return closing;
  };

  return {
    url: info.url,
    endpoint,
    apiKey,
    isolation: factory.isolation,
    isolationNote: factory.isolationNote,
    limitsSummary: factory.limitsSummary ?? '',
    limitsNote: factory.limitsNote ?? '',
    browserNetwork: browsers.network,
    chromium: browsers.chromiumBinary(),
    browserUsers: browserUsersLine,
    codeLanguages: describeLanguages(),
    dataDir,
    tlsCertFile,
    sessionCount: () => store.count(),
    setFaults: (f) => faults.set(f),
    faultStats: () => faults.stats(),
    close,
  };
}
