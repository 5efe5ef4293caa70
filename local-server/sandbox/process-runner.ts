/**
 * Runs one command as its own process group, captures its output with caps, and guarantees that
 * nothing it started outlives it: on exit, on timeout, on abort, and on kill the group is
 * SIGKILLed and marked stragglers (see proc-scan.ts) are swept up.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { signalGroup, signalMarked } from './proc-scan';
import { OrderedPause, PausableTimeout, waitAtMost } from './timing';

export const DEFAULT_MAX_OUTPUT_BYTES = 10 * 1024 * 1024;
/** After the main process has exited, how long to wait for its pipes to close before giving up. */
const PIPE_GRACE_MS = 2000;
/** How long the direct child gets to exit by itself once its descendants are dead. */
const LEADER_GRACE_MS = 500;

export interface SpawnPlan {
  command: string;
  args: string[];
  /** Host working directory of the spawned binary (bwrap or the command itself). */
  cwd: string;
  env: Record<string, string>;
  /**
   * Every process of the run lives in a pid namespace whose pid 1 is the command itself and which
   * dies with the spawned binary (bubblewrap `--as-pid-1 --die-with-parent`): once that binary has
   * exited, the kernel has killed everything in the namespace, so the exit needs no /proc scan.
   */
  ownPidNamespace?: boolean;
}

export interface RunRequest {
  plan: SpawnPlan;
  timeoutMs: number;
  /** `NAME=value` present in the environment of every process of this run. */
  runMarker: string;
  stdin?: string | Buffer;
  maxOutputBytes?: number;
  /** Also open fd 3 as a side channel (runner scripts write their results there). */
  sideChannel?: boolean;
  signal?: AbortSignal;
}

export interface RunOutcome {
  stdout: string;
  stderr: string;
  side: string;
  /** Exit status; for a signal death 128+n (shell convention); null when it never started. */
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** Set when the binary could not be started at all (e.g. ENOENT). */
  spawnError?: string;
  /** Which session limit the run ran into, as a sentence for the caller (set by the workspace). */
  limitExceeded?: string;
  durationMs: number;
}


/** Output kept up to `cap` bytes; whatever comes after is dropped and marks it truncated. */
export class CappedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}

  attach(stream: Readable | null | undefined): void {
    stream?.on('data', (chunk: Buffer) => this.push(chunk));
    stream?.on('error', () => undefined); // a broken pipe must not become an unhandled error
  }

  push(chunk: Buffer): void {
    const room = this.cap - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part.length < chunk.length) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGXCPU: 24, SIGXFSZ: 25 };

/** A command in progress, however it was started (on its own here, or by a session's command host). */
export interface RunHandle {
  readonly done: Promise<RunOutcome>;
  /** Kills the whole tree now; `done` then resolves with what was captured so far. */
  kill(): Promise<void>;
  /** Freezes the tree and stops the timeout clock. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export class RunningProcess implements RunHandle {
  readonly done: Promise<RunOutcome>;
  private pgid: number | undefined;
  /** The timeout clock, set once the process is spawned; it stops while the session is paused. */
  private clock: PausableTimeout | undefined;
  private finished = false;
  private timedOut = false;
  private aborted = false;
  private leaderExited = false;
  private markLeaderExited: () => void = () => undefined;
  private readonly leaderExit = new Promise<void>((resolve) => {
    this.markLeaderExited = resolve;
  });

  constructor(private readonly req: RunRequest) {
    this.done = this.start();
  }

  private start(): Promise<RunOutcome> {
    const req = this.req;
    const plan = req.plan;
    const cap = req.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const stdout = new CappedBuffer(cap);
    const stderr = new CappedBuffer(cap);
    const side = new CappedBuffer(cap * 4);
    const started = Date.now();
    return new Promise<RunOutcome>((resolve) => {
      const stdio: ('pipe' | 'ignore')[] = [req.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'];
      if (req.sideChannel) stdio.push('pipe');
      let child;
      try {
        // detached: the child leads a new session/process group, so -pgid reaches its descendants.
        child = spawn(plan.command, plan.args, { cwd: plan.cwd, env: plan.env, stdio, detached: true });
      } catch (err) {
        resolve(this.failed(err, started));
        return;
      }
      this.pgid = child.pid;
      stdout.attach(child.stdout);
      stderr.attach(child.stderr);
      if (req.sideChannel) side.attach(child.stdio[3] as Readable | null);
      if (child.stdin) {
        child.stdin.on('error', () => undefined); // EPIPE when the command ignores its input
        child.stdin.end(req.stdin);
      }
      let exitCode: number | null = null;
      let settled = false;
      let graceTimer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        if (settled) return;
        settled = true;
        this.finished = true;
        this.clock?.clear();
        if (graceTimer) clearTimeout(graceTimer);
        req.signal?.removeEventListener('abort', onAbort);
        resolve({
          stdout: stdout.text(),
          stderr: stderr.text(),
          side: side.text(),
          exitCode,
          timedOut: this.timedOut,
          aborted: this.aborted,
          stdoutTruncated: stdout.truncated,
          stderrTruncated: stderr.truncated,
          durationMs: Date.now() - started,
        });
      };
      const onAbort = (): void => {
        this.aborted = true;
        void this.kill();
      };
      child.on('error', (err) => {
        // Only reached when spawning failed (the pid is then undefined) or a kill failed.
        if (child.pid === undefined && !settled) {
          settled = true;
          this.finished = true;
          this.clock?.clear();
          req.signal?.removeEventListener('abort', onAbort);
          resolve(this.failed(err, started));
        }
      });
      let exitSweep: Promise<void> = Promise.resolve();
      child.on('exit', (code, signal) => {
        this.leaderExited = true;
        this.markLeaderExited();
        exitCode = code ?? (signal ? 128 + (SIGNAL_NUMBERS[signal] ?? 0) : null);
        // Whatever the command left behind goes with it (a `sleep 100 &` must not survive). In its own
        // pid namespace the kernel has done that already; scanning /proc (every process of the host)
        // after each command was most of a short command's cost under load.
        exitSweep = plan.ownPidNamespace ? this.killGroup() : this.killTree();
        void exitSweep.then(() => {
          if (settled) return;
          graceTimer = setTimeout(() => {
            // Something escaped the sweep and still holds our pipes: stop waiting for it.
            child.stdout?.destroy();
            child.stderr?.destroy();
            (child.stdio[3] as Readable | null | undefined)?.destroy();
            finish();
          }, PIPE_GRACE_MS);
        });
      });
      child.on('close', () => {
        if (exitCode === null && child.exitCode !== null) exitCode = child.exitCode;
        // Resolve only once the sweep is over, so callers can rely on nothing being left.
        void exitSweep.then(finish);
      });
      if (req.signal?.aborted) onAbort();
      else req.signal?.addEventListener('abort', onAbort, { once: true });
      this.clock = new PausableTimeout(req.timeoutMs, () => {
        this.timedOut = true;
        void this.kill();
      });
    });
  }

  private failed(err: unknown, started: number): RunOutcome {
    return {
      stdout: '', stderr: '', side: '', exitCode: null, timedOut: false, aborted: false,
      stdoutTruncated: false, stderrTruncated: false,
      spawnError: err instanceof Error ? err.message : String(err),
      durationMs: Date.now() - started,
    };
  }

  /**
   * Kills descendants first and lets our direct child exit on its own, then kills the group.
   * Why the order: in bubblewrap mode the sandbox's pid 1 is a child of the bwrap we spawned;
   * killing that bwrap first would orphan its child, leaving a zombie for the host's init.
   */
  private async killTree(): Promise<void> {
    const leader = this.pgid;
    const killed = await signalMarked(this.req.runMarker, 'SIGKILL', leader === undefined ? [] : [leader]).catch(() => 0);
    if (killed > 0 && !this.leaderExited) await waitAtMost(this.leaderExit, LEADER_GRACE_MS);
    if (leader !== undefined) signalGroup(leader, 'SIGKILL');
    await signalMarked(this.req.runMarker, 'SIGKILL').catch(() => 0);
  }

  private async killGroup(): Promise<void> {
    if (this.pgid !== undefined) signalGroup(this.pgid, 'SIGKILL');
  }

  /** Kills the whole tree now; `done` then resolves with what was captured so far. */
  async kill(): Promise<void> {
    await this.killTree();
  }

  /**
   * Freezes the tree and stops the timeout clock (a paused session's time is not the command's), in
   * order with resumes (a command started while its session was being paused gets an unawaited pause,
   * so a quick resume can overtake it).
   */
  private readonly pausing = new OrderedPause(
    () => this.finished,
    () => this.clock,
    async () => {
      if (this.pgid !== undefined) signalGroup(this.pgid, 'SIGSTOP');
      await signalMarked(this.req.runMarker, 'SIGSTOP').catch(() => 0);
    },
    async () => {
      await signalMarked(this.req.runMarker, 'SIGCONT').catch(() => 0);
      if (this.pgid !== undefined) signalGroup(this.pgid, 'SIGCONT');
    },
  );

  pause(): Promise<void> {
    return this.pausing.pause();
  }

  resume(): Promise<void> {
    return this.pausing.resume();
  }
}

export function runProcess(req: RunRequest): RunningProcess {
  return new RunningProcess(req);
}
