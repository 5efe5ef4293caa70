/**
 * One session: its directory, its isolation, its running commands, and its lifecycle
 * (active → paused ⇄ active → deleted). Tools run through the catalogue with a ToolContext that
 * routes every command through here, so pause/destroy reach all of them.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { DiskQuota, IsolationMode, McpToolResult, SessionWorkspace } from './contract';
import type { LimitSnapshot, SessionLimiter } from './enforcement';
import type { Isolation } from './isolation';
import type { KernelSpec, RunSpec, ToolCatalogue, ToolContext } from './tool-host';
import { CommandHost } from './command-host';
import { SpawnedKernel, type KernelDiagnosis, type KernelProcess } from './kernel-process';
import { HOME, SessionPaths } from './paths';
import { signalMarked } from './proc-scan';
import { runProcess, type RunHandle, type RunOutcome } from './process-runner';
import { switchUser } from './run-as';
import { waitAtMost } from './timing';

const SESSION_VAR = 'AGENTBAY_SANDBOX_SESSION';
const RUN_VAR = 'AGENTBAY_SANDBOX_RUN';

const INFLIGHT_GRACE_MS = 5000;
/** How long a new command host gets to start; after that the session runs its commands one sandbox each. */
const HOST_START_MS = 15_000;

type State = 'active' | 'paused' | 'deleted';

function fail(text: string): McpToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}


export class Workspace implements SessionWorkspace {
  readonly isolation: IsolationMode;
  private state: State = 'active';
  private readonly runs = new Set<RunHandle>();
  /** The session's command host (bubblewrap mode), started with the first command; see command-host.ts. */
  private host: Promise<CommandHost | undefined> | undefined;
  /** A host could not be started here: this session's commands each get a sandbox of their own. */
  private hostFailed = false;
  /** Whether any process was ever started for this session (else destroy has none to look for). */
  private startedProcesses = false;
  /** Commands started so far (the host is started with the second: see hostForCommand). */
  private commandsStarted = 0;
  /** Long-lived kernels (run_code); they leave this set when they exit. */
  private readonly kernels = new Set<SpawnedKernel>();
  /** Tool calls in progress; destroy waits for them so none recreates the directory after rm. */
  private readonly inflight = new Set<Promise<McpToolResult>>();
  private readonly sessionMarker = `${SESSION_VAR}=${randomBytes(12).toString('hex')}`;
  private readonly paths: SessionPaths;
  private readonly context: ToolContext;
  private destroying: Promise<void> | undefined;
  /** The last pause/resume signalling step; the next one waits for it. */
  private signalling: Promise<void> = Promise.resolve();

  constructor(
    readonly sessionId: string,
    readonly rootDir: string,
    private readonly iso: Isolation,
    private readonly limiter: SessionLimiter,
    private readonly catalogue: ToolCatalogue,
    /** setpriv, when this server can run a process as another user (run-as.ts); else null. */
    private readonly setpriv: string | null = null,
  ) {
    this.isolation = iso.mode;
    this.paths = new SessionPaths(rootDir);
    const state = new Map<string, unknown>();
    this.context = {
      sessionId,
      paths: this.paths,
      isolation: iso,
      state,
      run: (spec, signal) => this.run(spec, signal),
      startKernel: (spec) => this.startKernel(spec),
      commandPath: (host) => (iso.mode === 'bubblewrap' ? this.paths.toVirtual(host) ?? host : host),
      disk: {
        assertRoomFor: (bytes, replacedBytes, virtualPath) => limiter.assertRoomFor(bytes, replacedBytes, virtualPath),
        fullError: (virtualPath) => limiter.diskFullError(virtualPath),
      },
    };
  }

  /** Long-lived processes of the session outside the tool catalogue (the browser); see the contract. */
  startProcess(spec: KernelSpec): Promise<KernelProcess> {
    return this.startKernel(spec);
  }

  get disk(): DiskQuota {
    return this.context.disk;
  }

  async callTool(name: string, args: unknown, signal?: AbortSignal): Promise<McpToolResult> {
    if (this.state === 'deleted') return fail('Session has been deleted');
    if (this.state === 'paused') return fail('Session is paused');
    const call = this.catalogue.call(name, args, this.context, signal).catch((err: unknown) =>
      fail(`Internal error in ${name}: ${err instanceof Error ? err.message : String(err)}`));
    this.inflight.add(call);
    let result: McpToolResult;
    try {
      result = await call;
    } finally {
      this.inflight.delete(call);
    }
    // A call that was cut short by destroy() reports that, not whatever half-result it got.
    return this.isDeleted() ? fail('Session has been deleted') : result;
  }

  /** A method, not a field read, so TypeScript does not carry narrowing across awaits. */
  private isDeleted(): boolean {
    return this.state === 'deleted';
  }

  private async run(spec: RunSpec, signal?: AbortSignal): Promise<RunOutcome> {
    if (this.state === 'deleted') throw new Error('Session has been deleted');
    const runMarker = `${RUN_VAR}=${randomBytes(12).toString('hex')}`;
    const cwd = spec.cwd ?? { virtual: HOME, host: this.paths.homeHost };
    const command = { argv: spec.argv, cwd, env: spec.env, markers: [this.sessionMarker, runMarker] };
    const host = await this.hostForCommand();
    const hosting = this.iso.commandHosting;
    let start: () => RunHandle;
    if (host !== undefined && hosting !== undefined) {
      // The host runs in the session's sandbox, cgroups and rlimits already: the command needs only its own.
      const prefix = await this.limiter.hostedCommandPrefix();
      start = () => host.run({
        argv: [...prefix, ...spec.argv], cwd: cwd.virtual, env: hosting.commandEnv(command),
        timeoutMs: spec.timeoutMs, runMarker, stdin: spec.stdin, sideChannel: spec.sideChannel, signal,
      });
    } else {
      const plan = await this.limiter.wrap(this.iso.plan(this.paths, command));
      start = () => runProcess({ plan, timeoutMs: spec.timeoutMs, runMarker, stdin: spec.stdin, sideChannel: spec.sideChannel, signal });
    }
    const before = await this.limiter.snapshot();
    if (this.isDeleted()) throw new Error('Session has been deleted');
    this.startedProcesses = true;
    const proc = start();
    this.runs.add(proc);
    // A command started while a pause is being applied is frozen too.
    if (this.state === 'paused') void proc.pause();
    let outcome: RunOutcome;
    try {
      outcome = await proc.done;
    } finally {
      this.runs.delete(proc);
    }
    if (this.isDeleted()) return outcome;
    const limitExceeded = await this.limiter.diagnose(before, outcome);
    return limitExceeded === null ? outcome : { ...outcome, limitExceeded };
  }

  /**
   * The host for the next command, or undefined to give it a sandbox of its own. Starting a host costs
   * more than one sandbox (Node.js starts in it), so a session's first command gets its own sandbox,
   * its second starts the host beside it, and from its third on every command waits for the host:
   * a create → one command → delete flow costs what it did before the host existed.
   */
  private hostForCommand(): Promise<CommandHost | undefined> {
    this.commandsStarted++;
    if (this.commandsStarted === 1) return Promise.resolve(undefined);
    const host = this.commandHost();
    if (this.commandsStarted > 2) return host;
    void host.catch(() => undefined); // startCommandHost reports failure as undefined; nothing to wait for here
    return Promise.resolve(undefined);
  }

  /** The running command host, started on first use (and again after one died); undefined where there is none. */
  private async commandHost(): Promise<CommandHost | undefined> {
    if (this.iso.commandHosting === undefined || this.hostFailed) return undefined;
    const starting = this.host;
    const current = await starting;
    if (current?.usable) return current;
    if (this.hostFailed || this.isDeleted()) return undefined;
    // Several commands may find the host gone at once: only the first starts the next one.
    if (this.host === starting) this.host = this.startCommandHost();
    return this.host;
  }

  private async startCommandHost(): Promise<CommandHost | undefined> {
    try {
      return await this.tryStartCommandHost();
    } catch {
      // The plan could not be made (cgroup files gone, …): this session's commands get a sandbox each.
      this.hostFailed = true;
      return undefined;
    }
  }

  private async tryStartCommandHost(): Promise<CommandHost | undefined> {
    const hosting = this.iso.commandHosting;
    if (hosting === undefined) return undefined;
    const hostMarker = `${RUN_VAR}=${randomBytes(12).toString('hex')}`;
    const plan = await this.limiter.wrap(hosting.hostPlan(this.paths, [this.sessionMarker, hostMarker]));
    const before = await this.limiter.snapshot();
    if (this.isDeleted()) return undefined;
    this.startedProcesses = true;
    const host = new CommandHost(new SpawnedKernel(plan, hostMarker, this.kernelDiagnosis(), before));
    let started = false;
    await waitAtMost(host.ready.then((ready) => {
      started = ready;
    }), HOST_START_MS);
    if (!started) {
      // No node in the sandbox after all, or bwrap refused: run commands the way that needs no host.
      this.hostFailed = true;
      await host.kill();
      return undefined;
    }
    return host;
  }

  private kernelDiagnosis(): KernelDiagnosis {
    const limiter = this.limiter;
    return {
      snapshot: () => limiter.snapshot(),
      explain: (before: unknown, exitCode: number | null, durationMs: number) => limiter.diagnose(before as LimitSnapshot, {
        stdout: '', stderr: '', side: '', exitCode, timedOut: false, aborted: false,
        stdoutTruncated: false, stderrTruncated: false, durationMs,
      }),
    };
  }

  private async startKernel(spec: KernelSpec): Promise<KernelProcess> {
    if (this.state === 'deleted') throw new Error('Session has been deleted');
    const runMarker = `${RUN_VAR}=${randomBytes(12).toString('hex')}`;
    let isolated = this.iso.plan(this.paths, {
      argv: spec.argv,
      cwd: { virtual: HOME, host: this.paths.homeHost },
      env: spec.env,
      markers: [this.sessionMarker, runMarker],
      shareNetwork: spec.shareNetwork,
    });
    if (spec.runAs !== undefined) {
      if (this.setpriv === null) throw new Error('this server cannot run a session process as another user');
      isolated = switchUser(this.setpriv, isolated, spec.runAs);
    }
    // The user switch comes after the cgroup join and the rlimits: those need root.
    const plan = await this.limiter.wrap(isolated);
    const before = await this.limiter.snapshot();
    if (this.isDeleted()) throw new Error('Session has been deleted');
    this.startedProcesses = true;
    const kernel = new SpawnedKernel(plan, runMarker, this.kernelDiagnosis(), before, spec.controlPipes === true);
    this.kernels.add(kernel);
    void kernel.exited.then(() => this.kernels.delete(kernel));
    // A kernel started while a pause is being applied is frozen too.
    if (this.state === 'paused') {
      await signalMarked(runMarker, 'SIGSTOP');
      kernel.setPaused(true);
    }
    return kernel;
  }

  async pause(): Promise<void> {
    if (this.state !== 'active') return;
    this.state = 'paused';
    await this.inOrder(async () => {
      await Promise.all([...this.runs].map((r) => r.pause()));
      // Anything else carrying the session marker (kernels, a daemon that escaped its group).
      await signalMarked(this.sessionMarker, 'SIGSTOP');
      for (const kernel of this.kernels) kernel.setPaused(true);
    });
  }

  async resume(): Promise<void> {
    if (this.state !== 'paused') return;
    this.state = 'active';
    // After any pause still signalling: its SIGSTOP must not land after this SIGCONT.
    await this.inOrder(async () => {
      await signalMarked(this.sessionMarker, 'SIGCONT');
      for (const kernel of this.kernels) kernel.setPaused(false);
      await Promise.all([...this.runs].map((r) => r.resume()));
    });
  }

  private inOrder(step: () => Promise<void>): Promise<void> {
    this.signalling = this.signalling.then(step, step);
    return this.signalling;
  }

  destroy(): Promise<void> {
    this.destroying ??= this.doDestroy();
    return this.destroying;
  }

  private async doDestroy(): Promise<void> {
    this.state = 'deleted';
    // The host's sandbox holds the session's commands: killing it first ends them all at once.
    await this.host?.then((host) => host?.kill());
    const running = [...this.runs];
    await Promise.all(running.map((r) => r.kill()));
    await Promise.all([...this.kernels].map((k) => k.kill()));
    // A scan of every process of the machine: only worth it when the session ever started one.
    if (this.startedProcesses) await signalMarked(this.sessionMarker, 'SIGKILL');
    await Promise.allSettled(running.map((r) => r.done));
    await waitAtMost(Promise.allSettled([...this.inflight]), INFLIGHT_GRACE_MS);
    // Before the directory goes: the cgroup sweep catches a process no marker found, and the
    // session's own filesystem (if any) is unmounted so the removal below finds an empty mountpoint.
    await this.limiter.destroy();
    await removeTree(this.rootDir);
  }
}

/** rm -rf that also copes with directories a command made unwritable (chmod 000) when not root. */
async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
    return;
  } catch {
    await makeWritable(dir);
  }
  await rm(dir, { recursive: true, force: true });
}

async function makeWritable(dir: string): Promise<void> {
  try {
    const st = await lstat(dir);
    if (!st.isDirectory()) return;
    await chmod(dir, 0o700);
    for (const name of await readdir(dir)) await makeWritable(path.join(dir, name));
  } catch {
    // best effort; the second rm reports what is left
  }
}
