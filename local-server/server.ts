/**
 * The local AgentBay-compatible server: `POST /?Action=...` with a form body and a JSON
 * envelope, as the cloud speaks it (docs/protocol.md §2), so the official SDK and this package's
 * client work against it unchanged. Plain `node:http`, loopback by default.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { handleActionRequest } from './dispatch';
import { FaultInjector, type FaultOptions } from './faults';
import { newApiKey } from './ids';
import { DEFAULT_MAX_BODY_BYTES, sendJson } from './protocol/http-io';
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

export type { FaultOptions } from './faults';
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
  readonly dataDir: string;
  /** The self-signed certificate clients must trust for HTTPS; undefined when HTTPS is off. */
  readonly tlsCertFile: string | undefined;
  sessionCount(): number;
  setFaults(faults: FaultOptions): void;
  /** Destroys all sessions, closes keep-alive sockets and stops listening. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60 * 1000;

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
  const isSessionPath = pathOf(req.url ?? '').startsWith('/sessions/');
  sendJson(res, isSessionPath ? 501 : 404, {
    Code: isSessionPath ? 'NotImplemented' : 'InvalidPath',
    Message: isSessionPath
      ? 'The local server has no remote desktop or port tunnel; this URL is a placeholder.'
      : 'Send API requests to POST /?Action=<Action>.',
    Success: false,
  });
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

  const factory =
    options.workspaceFactory ??
    (await createWorkspaceFactory({
      baseDir: path.join(dataDir, 'sessions'),
      catalogue: toolCatalogue,
      isolation: options.isolation ?? 'auto',
      limits: options.limits,
      limitMechanisms: options.limitMechanisms,
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
  const store = new SessionStore({
    factory,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    deleteDelayMs: options.deleteDelayMs ?? 300,
    transitionDelayMs: options.transitionDelayMs ?? 300,
    beforeDestroy: (record) => syncs.release(record.id, true),
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
    dataDir,
    tlsCertFile,
    sessionCount: () => store.count(),
    setFaults: (f) => faults.set(f),
    close,
  };
}
