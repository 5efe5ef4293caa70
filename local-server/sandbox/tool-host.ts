/**
 * What the sandbox offers to the tools it runs, and what it needs from a tool catalogue. The
 * sandbox knows tools only through these types: the catalogue (local-server/tools/) is handed to
 * createWorkspaceFactory, so imports point from tools/ to sandbox/ and never back.
 */
import type { McpToolDescriptor, McpToolResult } from './contract';
import type { Isolation } from './isolation';
import type { SessionPaths } from './paths';
import type { KernelProcess } from './kernel-process';
import type { RunOutcome } from './process-runner';
import type { RunAs } from './run-as';

export interface RunSpec {
  argv: string[];
  /** Resolved working directory; defaults to /home/wuying. */
  cwd?: { virtual: string; host: string };
  env?: Record<string, string>;
  timeoutMs: number;
  stdin?: string | Buffer;
  /** Open fd 3 for a runner script's structured results (returned as `RunOutcome.side`). */
  sideChannel?: boolean;
}

export interface KernelSpec {
  argv: string[];
  env?: Record<string, string>;
  /**
   * Keep the host's network namespace (bubblewrap `--share-net`) instead of the session's empty one.
   * Only the browser asks for it (local-server/browser/network.ts says why and what confines it).
   */
  shareNetwork?: boolean;
  /** Also open fd 3 (written by the server) and fd 4 (read by the server): Chromium's `--remote-debugging-pipe`. */
  controlPipes?: boolean;
  /**
   * Run under this unprivileged uid/gid instead of the session's command user (run-as.ts). Only where the
   * workspace factory's `userSwitch` is available; elsewhere starting fails.
   */
  runAs?: RunAs;
}

/** The session's disk limit as the server's own writes must respect it. */
export interface DiskQuota {
  /** Throws a ToolError naming the limit when `bytes` more (freeing `replacedBytes`) would not fit. */
  assertRoomFor(bytes: number, replacedBytes: number, virtualPath: string): Promise<void>;
  /** The error for a write the kernel refused for lack of space. */
  fullError(virtualPath: string): Error;
}

/**
 * What a tool implementation may use from its session. Tools never spawn processes or touch host
 * paths on their own: paths go through SessionPaths, commands through `run` or `startKernel` (which
 * track them for pause/destroy and apply the session's isolation and limits).
 */
export interface ToolContext {
  readonly sessionId: string;
  readonly paths: SessionPaths;
  readonly isolation: Isolation;
  run(spec: RunSpec, signal?: AbortSignal): Promise<RunOutcome>;
  /**
   * Starts a long-lived process (a code kernel) with its pipes kept open (stdin, stdout, stderr). It runs under the session's isolation and limits, freezes with pause and is killed
   * with the session.
   */
  startKernel(spec: KernelSpec): Promise<KernelProcess>;
  /** A host path inside the session as a command sees it (virtual in bubblewrap, host in process mode). */
  commandPath(hostPath: string): string;
  readonly disk: DiskQuota;
  /** Per-session scratch state for tools that remember things between calls (get_file_change). */
  readonly state: Map<string, unknown>;
}

/** The tools every session offers. */
export interface ToolCatalogue {
  /** For ListMcpTools and CreateMcpSession's ToolList. */
  descriptors(): McpToolDescriptor[];
  /** Runs one tool; unknown tools and bad arguments come back as `isError: true`, never as a throw. */
  call(name: string, args: unknown, ctx: ToolContext, signal?: AbortSignal): Promise<McpToolResult>;
}
