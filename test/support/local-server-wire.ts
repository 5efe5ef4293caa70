/**
 * Test helpers for the local server: raw HTTP calls (node:http, so chunking, headers and
 * status codes are under the test's control) and a fake sandbox that records what it is asked.
 */
import * as http from 'node:http';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LocalServer, LocalServerOptions } from '../../local-server/server';
import { startLocalServer } from '../../local-server/server';
import type {
  McpToolDescriptor,
  McpToolResult,
  SessionWorkspace,
  WorkspaceFactory,
} from '../../local-server/sandbox/contract';

export type Json = Record<string, unknown>;

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: Json;
}

export interface RawRequest {
  method?: string;
  /** Query parameters besides Action. */
  query?: Record<string, string>;
  /** Sent as a form body (URLSearchParams: `+` for spaces). */
  form?: Record<string, string>;
  /** A raw body string, overrides `form`. */
  body?: string;
  headers?: Record<string, string>;
  /** Stream the body with Transfer-Encoding: chunked, in two pieces. */
  chunked?: boolean;
  path?: string;
}

export function request(server: LocalServer, req: RawRequest): Promise<RawResponse> {
  const query = new URLSearchParams(req.query ?? {}).toString();
  const urlPath = req.path ?? `/${query ? `?${query}` : ''}`;
  const body = req.body ?? (req.form ? new URLSearchParams(req.form).toString() : '');
  const headers: Record<string, string> = { ...(req.headers ?? {}) };
  if (body && !headers['content-type']) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (!req.chunked) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const r = http.request(`${server.url}${urlPath}`, { method: req.method ?? 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Json = {};
        try {
          parsed = JSON.parse(text) as Json;
        } catch {
          parsed = {};
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
      });
    });
    r.on('error', reject);
    if (req.chunked && body) {
      const half = Math.floor(body.length / 2);
      r.write(body.slice(0, half));
      setTimeout(() => r.end(body.slice(half)), 10);
    } else {
      r.end(body);
    }
  });
}

/** An Action call the way the SDK sends it: Action in the query, Authorization in the body. */
export function call(
  server: LocalServer,
  action: string,
  params: Record<string, string> = {},
  options: { key?: string | null; query?: Record<string, string> } = {},
): Promise<RawResponse> {
  const form: Record<string, string> = { ...params };
  if (options.key !== null) form.Authorization = `Bearer ${options.key ?? server.apiKey}`;
  return request(server, { query: { Action: action, ...(options.query ?? {}) }, form });
}

export async function createSession(server: LocalServer, params: Record<string, string> = {}): Promise<string> {
  const res = await call(server, 'CreateMcpSession', params);
  if (res.status !== 200) throw new Error(`CreateMcpSession failed: ${res.text}`);
  return String((res.body.Data as Json).SessionId);
}


export interface FakeFactory extends WorkspaceFactory {
  /** What the server asked of the sandbox, e.g. `pause session-...`. */
  readonly calls: string[];
  readonly baseDir: string;
}

/** A sandbox stand-in: records calls, echoes tool arguments, and blocks on tool "block". */
export async function fakeFactory(baseDir: string): Promise<FakeFactory> {
  await mkdir(baseDir, { recursive: true });
  const calls: string[] = [];
  const tools: McpToolDescriptor[] = [
    { name: 'echo', description: 'Echo the arguments', inputSchema: { type: 'object' }, server: 'fake', tool: 'echo' },
    { name: 'block', description: 'Wait until aborted', inputSchema: { type: 'object' }, server: 'fake', tool: 'block' },
  ];
  return {
    isolation: 'process',
    isolationNote: 'fake sandbox for tests',
    calls,
    baseDir,
    tools: () => tools.map((t) => ({ ...t })),
    async create(sessionId: string): Promise<SessionWorkspace> {
      const rootDir = path.join(baseDir, sessionId);
      await mkdir(rootDir, { recursive: true });
      calls.push(`create ${sessionId}`);
      return {
        sessionId,
        rootDir,
        isolation: 'process',
        async callTool(name: string, args: unknown, signal?: AbortSignal): Promise<McpToolResult> {
          calls.push(`callTool ${sessionId} ${name}`);
          if (name === 'block') {
            await new Promise<void>((resolve) => {
              if (signal?.aborted) resolve();
              signal?.addEventListener('abort', () => resolve(), { once: true });
            });
            return { content: [{ type: 'text', text: 'aborted' }], isError: true };
          }
          return { content: [{ type: 'text', text: JSON.stringify(args) }], isError: false };
        },
        async pause() {
          calls.push(`pause ${sessionId}`);
        },
        async resume() {
          calls.push(`resume ${sessionId}`);
        },
        async destroy() {
          calls.push(`destroy ${sessionId}`);
          await rm(rootDir, { recursive: true, force: true });
        },
      };
    },
  };
}

/** Starts a server on a free port with a fake sandbox, short delays and no log noise. */
export async function startFakeServer(
  options: LocalServerOptions = {},
): Promise<{ server: LocalServer; factory: FakeFactory; logs: string[] }> {
  const logs: string[] = [];
  const dir = path.join(tmpdir(), `agentbay-fake-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const factory = await fakeFactory(dir);
  const server = await startLocalServer({
    port: 0,
    deleteDelayMs: 100,
    transitionDelayMs: 100,
    contextSyncDelayMs: 300,
    workspaceFactory: factory,
    log: (line) => logs.push(line),
    ...options,
  });
  const close = server.close;
  // Also remove the fake sandbox's base dir when the server closes.
  return {
    server: {
      ...server,
      close: async () => {
        await close();
        await rm(dir, { recursive: true, force: true });
      },
    },
    factory,
    logs,
  };
}
