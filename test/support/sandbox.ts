/** Shared helpers for the sandbox tests: real factories in temp dirs, result decoding, /proc scans. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createWorkspaceFactory, type IsolationMode, type McpToolResult, type SessionWorkspace, type WorkspaceFactory, type WorkspaceFactoryOptions,
} from '../../local-server/sandbox';
import { livePidsWith } from './processes';
import { toolCatalogue } from '../../local-server/tools/catalogue';

export { livePidsWith };

export interface Harness {
  factory: WorkspaceFactory;
  ws: SessionWorkspace;
  baseDir: string;
  cleanup(): Promise<void>;
}

let counter = 0;

export async function harness(isolation: IsolationMode, options: Omit<WorkspaceFactoryOptions, 'baseDir' | 'catalogue' | 'isolation'> = {}): Promise<Harness> {
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'agentbay-sbx-test-'));
  const factory = await createWorkspaceFactory({ ...options, baseDir, catalogue: toolCatalogue, isolation });
  const ws = await factory.create(`test-${process.pid}-${++counter}`);
  return {
    factory,
    ws,
    baseDir,
    async cleanup() {
      await ws.destroy();
      await factory.close?.();
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}

export function text(r: McpToolResult): string {
  assert.equal(r.content.length, 1);
  return r.content[0]!.text;
}

export function okText(r: McpToolResult): string {
  assert.equal(r.isError, false, `expected success, got error: ${r.content[0]?.text}`);
  return text(r);
}

export function errText(r: McpToolResult): string {
  assert.equal(r.isError, true, `expected an error, got: ${r.content[0]?.text}`);
  return text(r);
}

export function json<T = Record<string, unknown>>(s: string): T {
  return JSON.parse(s) as T;
}

export interface ShellOut { stdout: string; stderr: string; exit_code?: number; errorCode?: number; traceId?: string }

export async function shell(ws: SessionWorkspace, command: string, extra: Record<string, unknown> = {}): Promise<ShellOut> {
  return json<ShellOut>(okText(await ws.callTool('shell', { command, timeout_ms: 20000, ...extra })));
}


/** A unique `sleep` duration, so its command line can be found in /proc. */
export function uniqueSleep(): string {
  return `${300 + Math.floor(Math.random() * 1000)}.${process.pid}${Date.now() % 100000}`;
}


export const MODES: IsolationMode[] = ['bubblewrap', 'process'];

/**
 * Runs the commands after which a bubblewrap session's commands go through its command host (the
 * first gets a sandbox of its own, the second starts the host: local-server/sandbox/workspace.ts).
 */
export async function warmUpCommandHost(ws: SessionWorkspace): Promise<void> {
  await ws.callTool('shell', { command: 'true', timeout_ms: 20000 });
  await ws.callTool('shell', { command: 'true', timeout_ms: 20000 });
}
