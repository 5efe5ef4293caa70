/**
 * One long-lived interpreter of a session (see protocol.ts for the wire format): starts it, runs
 * cells one at a time, interrupts a cell that outlives its timeout and, when the interrupt does
 * not take, kills the kernel so the next cell gets a fresh one.
 */
import { randomBytes } from 'node:crypto';
import type { KernelExit, KernelProcess } from '../../sandbox/kernel-process';
import type { ToolContext } from '../context';
import { encodeRequest, parseReply, TokenSplitter, type KernelReply } from './protocol';

/** How long a kernel may take to start (a JVM on a loaded machine is slow). */
const STARTUP_TIMEOUT_MS = 60_000;
/** After SIGINT, how long the kernel gets to end the cell before it is killed. */
const INTERRUPT_GRACE_MS = 3_000;
/** A kernel that enforces the timeout itself (JavaScript) gets this long before the server steps in. */
const TIMEOUT_SLACK_MS = 1_000;
const MAX_OUTPUT_BYTES = 10 * 1024 * 1024;

export interface KernelLaunch {
  /** The interpreter's name in messages ("python"). */
  name: string;
  argv: string[];
  env?: Record<string, string>;
  /** The kernel stops a cell at the timeout it is sent, without a signal (the JavaScript one). */
  enforcesTimeout?: boolean;
}

export interface CellOutcome {
  stdout: string;
  stderr: string;
  results: Record<string, unknown>[];
  /** The cell's own error ('' when it ran cleanly), or what the server did about it. */
  error: string;
  durationMs: number;
  /** This kernel's cell number, as Jupyter counts (from 1; a restarted kernel starts again). */
  executionCount: number;
  /** False when the kernel is gone after this cell (the next cell starts a new one). */
  kernelAlive: boolean;
}

interface StdoutMessage { output: string; replyLine: string }

type Waited = { kind: 'message'; stdout: StdoutMessage; stderr: string } | { kind: 'exit'; exit: KernelExit } | { kind: 'timeout' } | { kind: 'abort' };

export class Kernel {
  private readonly stdoutQueue: StdoutMessage[] = [];
  private readonly stderrQueue: string[] = [];
  private readonly splitters: [TokenSplitter, TokenSplitter];
  private wake: () => void = () => undefined;
  private exit: KernelExit | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private broken = false;
  private cells = 0;
  version = '';

  private constructor(private readonly launch: KernelLaunch, private readonly token: string, private readonly proc: KernelProcess) {
    const tokenBytes = Buffer.from(token, 'ascii');
    const notify = (): void => this.wake();
    const overflow = (): void => {
      this.broken = true;
      void this.proc.kill();
    };
    this.splitters = [
      new TokenSplitter(tokenBytes, true, MAX_OUTPUT_BYTES, (output, truncated, replyLine) => {
        this.stdoutQueue.push({ output: truncated ? `${output}\n[output truncated]` : output, replyLine });
        notify();
      }, overflow),
      new TokenSplitter(tokenBytes, false, MAX_OUTPUT_BYTES, (output, truncated) => {
        this.stderrQueue.push(truncated ? `${output}\n[output truncated]` : output);
        notify();
      }, overflow),
    ];
    proc.stdout.on('data', (chunk: Buffer) => this.splitters[0].push(chunk));
    proc.stderr.on('data', (chunk: Buffer) => this.splitters[1].push(chunk));
    void proc.exited.then((exit) => {
      this.exit = exit;
      notify();
    });
  }

  /** Starts a kernel and waits for its greeting; a string is the reason it could not start. */
  static async start(ctx: ToolContext, launch: KernelLaunch): Promise<Kernel | string> {
    const token = randomBytes(16).toString('hex');
    const proc = await ctx.startKernel({ argv: [...launch.argv, token], env: launch.env });
    const kernel = new Kernel(launch, token, proc);
    const first = await kernel.next(STARTUP_TIMEOUT_MS);
    if (first.kind === 'message') {
      const reply = parseReply(first.stdout.replyLine);
      if (reply?.ready) {
        kernel.version = reply.version ?? '';
        return kernel;
      }
    }
    await proc.kill();
    const said = `${kernel.splitters[1].drain()}${first.kind === 'message' ? first.stderr : ''}`.trim().slice(0, 2000);
    const why = first.kind === 'timeout' ? `it did not answer within ${STARTUP_TIMEOUT_MS / 1000} s`
      : first.kind === 'exit' ? `it exited with code ${first.exit.exitCode ?? 'unknown'}${first.exit.limitExceeded ? ` (${first.exit.limitExceeded})` : ''}`
      : 'it answered something unexpected';
    return `The ${launch.name} kernel could not be started: ${why}${said ? `\n${said}` : ''}`;
  }

  get alive(): boolean {
    return this.exit === undefined && !this.broken;
  }

  /** Kills the kernel (e.g. the session is going); the next cell of the language starts a new one. */
  async shutdown(): Promise<void> {
    this.broken = true;
    await this.proc.kill();
  }

  /** Runs one cell; cells of one kernel run one after another. */
  execute(code: string, timeoutMs: number, signal?: AbortSignal): Promise<CellOutcome> {
    const run = this.chain.then(() => this.executeNow(code, timeoutMs, signal));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async executeNow(code: string, timeoutMs: number, signal?: AbortSignal): Promise<CellOutcome> {
    const started = Date.now();
    const executionCount = ++this.cells;
    const outcome = (stdout: string, stderr: string, reply: KernelReply | null, error: string): CellOutcome => ({
      stdout, stderr, results: reply?.results ?? [], error, durationMs: Date.now() - started, executionCount, kernelAlive: this.alive,
    });
    if (!this.alive) return outcome('', '', null, this.deathMessage());
    await this.proc.markExecution();
    this.proc.stdin.write(encodeRequest(this.token, code, timeoutMs));
    const seconds = timeoutMs / 1000;
    let waited = await this.next(timeoutMs + (this.launch.enforcesTimeout ? TIMEOUT_SLACK_MS : 0), signal);
    let interrupted: 'timeout' | 'abort' | undefined;
    if (waited.kind === 'timeout' || waited.kind === 'abort') {
      interrupted = waited.kind;
      await this.proc.interrupt();
      waited = await this.next(INTERRUPT_GRACE_MS);
    }
    const what = interrupted === 'abort' ? 'CancelledError: execution was cancelled' : `TimeoutError: execution timed out after ${seconds} s`;
    if (waited.kind !== 'message') {
      // The interrupt did not take (or the kernel died): nothing of its state survives.
      await this.proc.kill();
      const stdout = this.splitters[0].drain();
      const stderr = this.splitters[1].drain();
      const error = interrupted !== undefined
        ? `${what}; the ${this.launch.name} kernel did not stop on interrupt and was restarted (its variables and imports are gone)`
        : this.deathMessage();
      return outcome(stdout, stderr, null, error);
    }
    const reply = parseReply(waited.stdout.replyLine);
    if (reply === null) {
      await this.shutdown();
      return outcome(waited.stdout.output, waited.stderr, null, `KernelError: the ${this.launch.name} kernel sent an unreadable reply and was restarted`);
    }
    let error = reply.error;
    if (interrupted !== undefined || /^TimeoutError\b/.test(error)) {
      error = `${interrupted === 'abort' ? what : `TimeoutError: execution timed out after ${seconds} s`}; the kernel was interrupted and keeps its state`;
    }
    return outcome(waited.stdout.output, waited.stderr, reply, error);
  }

  private deathMessage(): string {
    const exit = this.exit;
    const lost = `the next call starts a new one (variables and imports are gone)`;
    // A session limit that killed the kernel reads as run_code's other limit errors do.
    if (exit?.limitExceeded) return `ResourceLimitError: ${exit.limitExceeded}; the ${this.launch.name} kernel was stopped and ${lost}`;
    const how = exit === undefined ? 'was stopped' : `exited (code ${exit.exitCode ?? 'unknown'})`;
    return `KernelDied: the ${this.launch.name} kernel ${how}; ${lost}`;
  }

  /** The next complete message (reply on stdout and end of stderr), or why there is none. */
  private next(timeoutMs: number, signal?: AbortSignal): Promise<Waited> {
    return new Promise<Waited>((resolve) => {
      let settled = false;
      const settle = (w: Waited): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopListening();
        signal?.removeEventListener('abort', onAbort);
        this.wake = () => undefined;
        resolve(w);
      };
      const onAbort = (): void => settle({ kind: 'abort' });
      const check = (): void => {
        if (this.stdoutQueue.length > 0 && this.stderrQueue.length > 0) {
          settle({ kind: 'message', stdout: this.stdoutQueue.shift()!, stderr: this.stderrQueue.shift()! });
        } else if (this.exit !== undefined) {
          settle({ kind: 'exit', exit: this.exit });
        }
      };
      // The clock stops while the session is paused (the kernel is frozen then, not slow).
      let remaining = timeoutMs;
      let armedAt = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const arm = (): void => {
        armedAt = Date.now();
        timer = setTimeout(() => settle({ kind: 'timeout' }), Math.max(0, remaining));
      };
      const stopListening = this.proc.onPauseChange((paused) => {
        if (paused && timer !== undefined) {
          clearTimeout(timer);
          timer = undefined;
          remaining -= Date.now() - armedAt;
        } else if (!paused && timer === undefined && !settled) {
          arm();
        }
      });
      if (!this.proc.paused) arm();
      this.wake = check;
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }
}
