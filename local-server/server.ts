/**
 * The local AgentBay-compatible server: `POST /?Action=...` with a form body and a JSON
 * envelope, as the cloud speaks it (agentbay-api.md §2), so the official SDK and this package's
 * client work against it unchanged. Plain `node:http`, loopback by default.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { handleActionRequest } from './dispatch';
import { FaultInjector, type FaultOptions } from './faults';
import { newApiKey } from './ids';
import { errorEnvelope, newRequestId } from './protocol/envelope';
import { ApiError } from './protocol/errors';
import { answerClientError, DEFAULT_MAX_BODY_BYTES, sendJson } from './protocol/http-io';
import { pathOf } from './protocol/params';
import { createWorkspaceFactory } from './sandbox';
import type { IsolationMode, WorkspaceFactory } from './sandbox/contract';
import { SessionStore } from './session-store';

export type { FaultOptions } from './faults';

export interface LocalServerOptions {
  /** Default `127.0.0.1`. Anything else exposes the sandboxes to the network. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default: a fresh `akl-<32 hex>` key. */
  apiKey?: string;
  /** Sessions live in `<dataDir>/sessions/<id>/`. Default: a fresh temp dir, removed on close. */
  dataDir?: string;
  isolation?: 'auto' | IsolationMode;
  /** Sessions without a request for this long are deleted. Default 30 min; 0 disables. */
  idleTimeoutMs?: number;
  /** How long a deleted session stays DELETING before it is gone. Default 300 ms. */
  deleteDelayMs?: number;
  /** How long PAUSING / RESUMING last at least. Default 300 ms. */
  transitionDelayMs?: number;
  /** How long PersistenceDataList downloads report in progress. Default 600 ms. */
  contextSyncDelayMs?: number;
  /** Default 32 MiB; larger bodies get HTTP 413. */
  maxBodyBytes?: number;
  faults?: FaultOptions;
  /** One line per request and per session event. Never receives the API key. */
  log?: (line: string) => void;
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
  readonly dataDir: string;
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

function listen(server: Server, port: number, host: string): Promise<number> {
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

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((): void => undefined);
  const apiKey = options.apiKey ?? newApiKey();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = ownsDataDir ? await mkdtemp(path.join(tmpdir(), 'agentbay-local-')) : path.resolve(options.dataDir ?? '.');
  await mkdir(dataDir, { recursive: true });

  const factory =
    options.workspaceFactory ??
    (await createWorkspaceFactory({ baseDir: path.join(dataDir, 'sessions'), isolation: options.isolation ?? 'auto' }));
  const store = new SessionStore({
    factory,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    deleteDelayMs: options.deleteDelayMs ?? 300,
    transitionDelayMs: options.transitionDelayMs ?? 300,
    contextSyncDelayMs: options.contextSyncDelayMs ?? 600,
    log,
  });
  const faults = new FaultInjector(options.faults);
  const info = { url: '' };

  const server = createServer((req, res) => {
    if (pathOf(req.url ?? '') !== '/') {
      handleOtherPath(req, res);
      return;
    }
    handleActionRequest(req, res, {
      apiKey,
      store,
      factory,
      server: info,
      faults,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      log,
    }).catch((err: unknown) => log(`unhandled request error: ${err instanceof Error ? err.message : String(err)}`));
  });

  // Over-long URLs or headers (431), malformed HTTP (400): a JSON envelope, not Node's bare status.
  server.on('clientError', answerClientError);

  // Longer than common client idle timeouts (Node's agent uses 5 s): if the server closed idle
  // keep-alive sockets first, a client could race a request onto a closing socket.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  let port: number;
  try {
    port = await listen(server, options.port ?? 0, host);
  } catch (err) {
    await store.closeAll();
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `${urlHost(host)}:${port}`;
  info.url = `http://${endpoint}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await store.closeAll();
      server.closeAllConnections();
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
    dataDir,
    sessionCount: () => store.count(),
    setFaults: (f) => faults.set(f),
    close,
  };
}
