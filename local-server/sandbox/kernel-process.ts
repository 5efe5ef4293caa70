/**
 * A long-lived process inside a session (a code kernel): started like every command (isolation,
 * cgroups, rlimits, markers), but with its pipes kept open for the session's lifetime instead of
 * being collected once. The workspace tracks it, so pause freezes it and destroy kills it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { findMarkedPids, signalGroup, signalMarked } from './proc-scan';
import type { SpawnPlan } from './process-runner';

/** How a kernel process ended. */
export interface KernelExit {
  exitCode: number | null;
  /** Which session limit killed it, as a sentence; undefined when none is recognisable. */
  limitExceeded?: string;
}

/** What a tool sees of a kernel process. */
export interface KernelProcess {
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly stdin: Writable;
  /** fd 3 (server writes) and fd 4 (server reads) when the spec asked for control pipes. */
  readonly control: { input: Writable; output: Readable } | undefined;
  /** Resolves once the process is gone (and everything it started is killed). */
  readonly exited: Promise<KernelExit>;
  /** SIGINT to the interpreter and what it started, not to bubblewrap (which would die of it). */
  interrupt(): Promise<void>;
  /** Kills the whole tree; `exited` resolves afterwards. */
  kill(): Promise<void>;
  /** Takes a fresh limit snapshot, so a later death is judged against this execution only. */
  markExecution(): Promise<void>;
  /** Whether the session is paused (the kernel frozen): a cell's clock stops meanwhile. */
  readonly paused: boolean;
  /** Called on every pause and resume of the session. */
  onPauseChange(listener: (paused: boolean) => void): () => void;
}

/** The limit diagnosis the workspace owns (enforcement.ts), reduced to what a kernel needs. */
export interface KernelDiagnosis {
  snapshot(): Promise<unknown>;
  explain(before: unknown, exitCode: number | null, durationMs: number): Promise<string | null>;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15, SIGXCPU: 24, SIGXFSZ: 25 };

async function commandName(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
}

export class SpawnedKernel implements KernelProcess {
  readonly exited: Promise<KernelExit>;
  private readonly child: ChildProcess;
  private snapshot: unknown;
  private executionStartedAt = Date.now();
  private pauseListeners = new Set<(paused: boolean) => void>();
  paused = false;

  constructor(
    plan: SpawnPlan,
    private readonly runMarker: string,
    private readonly diagnosis: KernelDiagnosis,
    initialSnapshot: unknown,
    controlPipes = false,
  ) {
    this.snapshot = initialSnapshot;
    // detached: its own process group, so -pgid reaches everything it starts in process mode.
    const stdio = controlPipes ? ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'] as const : ['pipe', 'pipe', 'pipe'] as const;
    this.child = spawn(plan.command, plan.args, { cwd: plan.cwd, env: plan.env, stdio: [...stdio], detached: true });
    for (const stream of this.child.stdio) {
      stream?.on('error', () => undefined); // EPIPE after the kernel died is reported through `exited`
    }
    this.exited = new Promise<KernelExit>((resolve) => {
      let done = false;
      const finish = (exitCode: number | null): void => {
        if (done) return;
        done = true;
        void this.sweep().then(async () => {
          const limitExceeded = await this.diagnosis.explain(this.snapshot, exitCode, Date.now() - this.executionStartedAt).catch(() => null);
          resolve(limitExceeded === null ? { exitCode } : { exitCode, limitExceeded });
        });
      };
      this.child.on('error', () => finish(null));
      this.child.on('exit', (code, signal) => finish(code ?? (signal ? 128 + (SIGNAL_NUMBERS[signal] ?? 0) : null)));
    });
  }

  get stdout(): Readable { return this.child.stdout!; }
  get stderr(): Readable { return this.child.stderr!; }
  get stdin(): Writable { return this.child.stdin!; }
  /** fd 3 and fd 4 of the process, when started with control pipes. */
  get control(): { input: Writable; output: Readable } | undefined {
    const input = this.child.stdio[3];
    const output = this.child.stdio[4];
    if (!input || !output || !('write' in input) || !('read' in output)) return undefined;
    return { input: input as Writable, output: output as Readable };
  }

  onPauseChange(listener: (paused: boolean) => void): () => void {
    this.pauseListeners.add(listener);
    return () => this.pauseListeners.delete(listener);
  }

  /** The workspace tells the kernel when the session freezes and thaws it. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    for (const listener of [...this.pauseListeners]) listener(paused);
  }

  async markExecution(): Promise<void> {
    this.executionStartedAt = Date.now();
    this.snapshot = await this.diagnosis.snapshot().catch(() => this.snapshot);
  }

  async interrupt(): Promise<void> {
    const pids = await findMarkedPids(this.runMarker);
    for (const pid of pids) {
      if ((await commandName(pid)) === 'bwrap') continue;
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // gone already
      }
    }
  }

  private async sweep(): Promise<void> {
    if (this.child.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
    await signalMarked(this.runMarker, 'SIGKILL').catch(() => 0);
  }

  async kill(): Promise<void> {
    await this.sweep();
    await this.exited;
  }
}
