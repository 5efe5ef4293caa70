/**
 * The server's side of a session's command host (command-host-source.ts): sends it commands, reads
 * its answers, and turns each command into a `RunHandle` with the same guarantees as a command
 * spawned on its own (process-runner.ts): a timeout clock that stops while the session is paused,
 * kill of everything the command started, output caps, the captured output on kill.
 *
 * The host's output is input from inside the sandbox, where a session's command could write to
 * it: lines are bounded, parsed defensively, and a message for an unknown run is ignored.
 */
import type { KernelProcess } from './kernel-process';
import { signalMarked } from './proc-scan';
import { CappedBuffer, DEFAULT_MAX_OUTPUT_BYTES, type RunHandle, type RunOutcome } from './process-runner';
import { OrderedPause, PausableTimeout, waitAtMost } from './timing';

/** Longest line the host may send (an `out` message holds one pipe read of at most 64 KiB, base64). */
const MAX_LINE_CHARS = 1024 * 1024;
/** After a kill, how long the host gets to report the exit before the server stops waiting for it. */
const KILL_GRACE_MS = 2000;

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGXCPU: 24, SIGXFSZ: 25 };

export interface HostedRequest {
  argv: string[];
  /** Working directory as the sandbox sees it. */
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** `NAME=value` in the environment of every process of this run. */
  runMarker: string;
  stdin?: string | Buffer;
  maxOutputBytes?: number;
  sideChannel?: boolean;
  signal?: AbortSignal;
}

interface ExitMessage {
  code: number | null;
  signal: string | null;
  truncated: boolean[];
  error?: string;
}

export class CommandHost {
  private readonly runs = new Map<number, HostedRun>();
  private nextId = 1;
  private pending = '';
  private readyFlag = false;
  private deadFlag = false;
  /** Resolves true once the host runs, false when it exited (or broke) before that. */
  readonly ready: Promise<boolean>;
  private markReady: (started: boolean) => void = () => undefined;

  constructor(private readonly hostProcess: KernelProcess) {
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
    hostProcess.stdout.setEncoding('utf8');
    hostProcess.stdout.on('data', (chunk: string) => this.receive(chunk));
    hostProcess.stderr.resume();
    void hostProcess.exited.then(() => this.stopped());
  }

  /** False once the host has exited or broken its protocol; the workspace then starts another. */
  get usable(): boolean {
    return !this.deadFlag;
  }

  run(request: HostedRequest): HostedRun {
    const id = this.nextId++;
    const run = new HostedRun(this, id, request);
    this.runs.set(id, run);
    const message = {
      t: 'run',
      id,
      argv: request.argv,
      cwd: request.cwd,
      env: request.env,
      marker: request.runMarker,
      side: request.sideChannel === true,
      cap: request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      ...(request.stdin === undefined ? {} : { stdin: Buffer.from(request.stdin).toString('base64') }),
    };
    if (this.deadFlag) run.hostLost();
    else this.hostProcess.stdin.write(`${JSON.stringify(message)}\n`);
    return run;
  }

  /** Asks the host to kill run `id` and everything it started. */
  requestKill(id: number): void {
    if (!this.deadFlag) this.hostProcess.stdin.write(`${JSON.stringify({ t: 'kill', id })}\n`);
  }

  forget(id: number): void {
    this.runs.delete(id);
  }

  /** Kills the host (and with it the sandbox and every command in it). */
  async kill(): Promise<void> {
    this.deadFlag = true;
    await this.hostProcess.kill();
  }

  private receive(chunk: string): void {
    this.pending += chunk;
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      this.handle(line);
    }
    if (this.pending.length > MAX_LINE_CHARS) this.broken();
  }

  private handle(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.broken();
      return;
    }
    if (message === null || typeof message !== 'object') return;
    const fields = message as Record<string, unknown>;
    if (fields.t === 'ready') {
      this.readyFlag = true;
      this.markReady(true);
      return;
    }
    const id = fields.id;
    if (typeof id !== 'number') return;
    const run = this.runs.get(id);
    if (!run) return;
    if (fields.t === 'out' && (fields.fd === 1 || fields.fd === 2 || fields.fd === 3) && typeof fields.data === 'string') {
      run.output(fields.fd, Buffer.from(fields.data, 'base64'));
    } else if (fields.t === 'exit') {
      const truncated = Array.isArray(fields.truncated) ? fields.truncated.map((value) => value === true) : [];
      run.exited({
        code: typeof fields.code === 'number' ? fields.code : null,
        signal: typeof fields.signal === 'string' ? fields.signal : null,
        truncated,
        ...(typeof fields.error === 'string' ? { error: fields.error } : {}),
      });
    }
  }

  /** The host wrote something that is not its protocol: it cannot be trusted with more commands. */
  private broken(): void {
    if (this.deadFlag) return;
    this.deadFlag = true;
    this.pending = '';
    void this.hostProcess.kill();
  }

  private stopped(): void {
    this.deadFlag = true;
    if (!this.readyFlag) this.markReady(false);
    for (const run of [...this.runs.values()]) run.hostLost();
    this.runs.clear();
  }
}

/** One command running in the session's command host. */
export class HostedRun implements RunHandle {
  readonly done: Promise<RunOutcome>;
  private resolveDone: (outcome: RunOutcome) => void = () => undefined;
  private readonly streams: [CappedBuffer, CappedBuffer, CappedBuffer];
  private readonly started = Date.now();
  private readonly clock: PausableTimeout;
  private finished = false;
  private timedOut = false;
  private aborted = false;
  private killing: Promise<void> | undefined;
  private readonly onAbort = (): void => {
    this.aborted = true;
    void this.kill();
  };

  constructor(private readonly host: CommandHost, private readonly id: number, private readonly request: HostedRequest) {
    const cap = request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    this.streams = [new CappedBuffer(cap), new CappedBuffer(cap), new CappedBuffer(cap * 4)];
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.clock = new PausableTimeout(request.timeoutMs, () => {
      this.timedOut = true;
      void this.kill();
    });
    if (request.signal?.aborted) queueMicrotask(this.onAbort);
    else request.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  output(fd: 1 | 2 | 3, data: Buffer): void {
    this.streams[fd - 1].push(data);
  }

  exited(exit: ExitMessage): void {
    if (exit.error !== undefined) {
      this.finish({ exitCode: null, spawnError: exit.error });
      return;
    }
    const exitCode = exit.code ?? (exit.signal ? 128 + (SIGNAL_NUMBERS[exit.signal] ?? 0) : null);
    exit.truncated.forEach((truncated, index) => {
      if (truncated && index < 3) this.streams[index].truncated = true;
    });
    this.finish({ exitCode });
  }

  /** The host died: the sandbox, and this command with it, is gone (a signal death for the caller). */
  hostLost(): void {
    this.finish({ exitCode: 128 + 9 });
  }

  private finish(end: { exitCode: number | null; spawnError?: string }): void {
    if (this.finished) return;
    this.finished = true;
    this.clock.clear();
    this.host.forget(this.id);
    this.request.signal?.removeEventListener('abort', this.onAbort);
    const [stdout, stderr, side] = this.streams;
    this.resolveDone({
      stdout: stdout.text(),
      stderr: stderr.text(),
      side: side.text(),
      exitCode: end.exitCode,
      timedOut: this.timedOut,
      aborted: this.aborted,
      stdoutTruncated: stdout.truncated,
      stderrTruncated: stderr.truncated,
      ...(end.spawnError === undefined ? {} : { spawnError: end.spawnError }),
      durationMs: Date.now() - this.started,
    });
  }

  /**
   * Kills the command and everything it started; `done` then resolves with what was captured. The
   * host does the killing; should it not answer (frozen, wedged), the server kills the run's
   * processes by their marker itself and stops waiting.
   */
  kill(): Promise<void> {
    this.killing ??= (async () => {
      if (this.finished) return;
      this.host.requestKill(this.id);
      await waitAtMost(this.done, KILL_GRACE_MS);
      if (this.finished) return;
      await signalMarked(this.request.runMarker, 'SIGKILL').catch(() => 0);
      this.finish({ exitCode: 128 + 9 });
    })();
    return this.killing;
  }

  /** Freezes the run's processes and stops its timeout clock (a paused session's time is not the command's). */
  private readonly pausing = new OrderedPause(
    () => this.finished,
    () => this.clock,
    async () => {
      await signalMarked(this.request.runMarker, 'SIGSTOP').catch(() => 0);
    },
    async () => {
      await signalMarked(this.request.runMarker, 'SIGCONT').catch(() => 0);
    },
  );

  pause(): Promise<void> {
    return this.pausing.pause();
  }

  resume(): Promise<void> {
    return this.pausing.resume();
  }
}

