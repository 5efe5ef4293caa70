/**
 * The seam between the local server's HTTP/protocol layer and the sandbox that runs a session.
 * The protocol layer (actions) only sees these types; the sandbox (workspace, tools, isolation)
 * implements them. Tool results use the MCP shape that CallMcpTool returns on the wire (docs/protocol.md §5.2).
 */
import type { LimitMechanisms, SessionLimits } from './limits';
import type { KernelProcess } from './kernel-process';
import type { DiskQuota, KernelSpec, ToolCatalogue } from './tool-host';
import type { UserSwitch } from './run-as';

export type { LimitMechanisms, SessionLimits } from './limits';
export type { DiskQuota, KernelSpec, ToolCatalogue } from './tool-host';
export type { KernelProcess } from './kernel-process';
export type { RunAs, UserSwitch } from './run-as';

export interface McpTextContent {
  type: 'text';
  text: string;
}

/** What CallMcpTool puts in `Data`: `{content:[{type:"text",text}], isError}`. */
export interface McpToolResult {
  content: McpTextContent[];
  isError: boolean;
}

/** One entry of ListMcpTools `Data` (JSON-encoded on the wire) and of CreateMcpSession `ToolList`. */
export interface McpToolDescriptor {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  server: string;
  tool: string;
}

/** `bubblewrap`: each session in its own mount/pid/net namespace; `process`: weaker, plain child processes. */
export type IsolationMode = 'bubblewrap' | 'process';

export interface SessionWorkspace {
  readonly sessionId: string;
  /** Host directory holding the session's filesystem (`home/wuying`, `tmp`, ...). */
  readonly rootDir: string;
  readonly isolation: IsolationMode;
  /**
   * The session's disk limit, for the server's own writes into the session (context downloads).
   * Optional so that stand-in sandboxes need not model it.
   */
  readonly disk?: DiskQuota;
  /**
   * Starts a long-lived process in the session (the browser) under its isolation and limits; it freezes with
   * pause and is killed by destroy. Optional so that stand-in sandboxes need not model it.
   */
  startProcess?(spec: KernelSpec): Promise<KernelProcess>;
  /** Runs one MCP tool. Unknown tools and bad arguments come back as `isError: true`, never as a throw. */
  callTool(name: string, args: unknown, signal?: AbortSignal): Promise<McpToolResult>;
  /** Freezes every process of the session (SIGSTOP); tool calls while paused are refused. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Kills every process of the session and removes its directory. Idempotent. */
  destroy(): Promise<void>;
}

export interface WorkspaceFactory {
  readonly isolation: IsolationMode;
  /** Human-readable reason when isolation is weaker than asked for (printed by the CLI). */
  readonly isolationNote: string;
  /** Each per-session limit and what enforces it, one line (printed by the CLI). */
  readonly limitsSummary?: string;
  /** Limits that are not, or only partly, enforced in this mode; empty when all hold per session. */
  readonly limitsNote?: string;
  /**
   * Whether `startProcess` may run a process as another user (KernelSpec.runAs). Optional so that stand-in
   * sandboxes need not model it; absent means it may not.
   */
  readonly userSwitch?: UserSwitch;
  create(sessionId: string): Promise<SessionWorkspace>;
  /** The tools every session offers, for ListMcpTools and ToolList. */
  tools(): McpToolDescriptor[];
  /** Releases what the factory set up for all sessions (after every session is destroyed). */
  close?(): Promise<void>;
}

export interface WorkspaceFactoryOptions {
  /** Host directory under which each session gets `<baseDir>/<sessionId>/`. */
  baseDir: string;
  /** The tools every session offers (local-server/tools/catalogue.ts `toolCatalogue`). */
  catalogue: ToolCatalogue;
  /** `auto` (default) uses bubblewrap when it works on this machine, else `process`. */
  isolation?: 'auto' | IsolationMode;
  /** Per-session limits; absent fields take the defaults of limits.ts, 0 means no limit. */
  limits?: Partial<SessionLimits>;
  /**
   * The gid of processes a root server runs as other users (KernelSpec.runAs; the browsers). Without it, no
   * process runs as another user. Every directory above `baseDir` must let this group (or everyone) through.
   */
  userSwitchGid?: number;
  /** Turns off a kernel mechanism for the limits (default: use whatever this machine allows). */
  limitMechanisms?: LimitMechanisms;
  /**
   * `false`: in bubblewrap mode, a sandbox per command instead of one command host per session
   * (sandbox/command-host.ts); for comparisons. Default true.
   */
  commandHost?: boolean;
}
