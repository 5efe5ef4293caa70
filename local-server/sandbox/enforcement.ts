/**
 * How the per-session limits are enforced on this machine, chosen once at start:
 *
 *   memory     cgroup (all processes of the session together)  else RLIMIT_AS per process
 *   processes  cgroup pids.max (per session)                   else RLIMIT_NPROC (per user; not for root)
 *   disk       the session directory is its own tmpfs          else file tools measure the directory,
 *              (needs mount rights, i.e. root)                      commands get RLIMIT_FSIZE per file
 *   CPU        RLIMIT_CPU per process (prlimit)
 *
 * Every command is started as `sh` (joins the session's cgroups) → `prlimit` (sets rlimits) →
 * the command (or bwrap), so the limits hold before the command's first instruction.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { CgroupManager, type CgroupCounters, type SessionCgroup } from './cgroups';
import { filesystemUsage, mountTmpfs, probeTmpfsMount, treeUsage, unmount } from './disk';
import { ToolError } from './errors';
import { formatBytes, type LimitMechanisms, type SessionLimits } from './limits';
import type { RunOutcome, SpawnPlan } from './process-runner';

/** 128 + signal number, as the runner reports a signal death. */
const KILLED = 128 + 9;
const KILLED_BY_SIGXCPU = 128 + 24;
const KILLED_BY_SIGXFSZ = 128 + 25;
/** How long a result may wait for killed processes to leave the pids count after a process-limit hit. */
const SETTLE_MS = 3000;
/** tmpfs allocates whole pages. */
const PAGE = 4096;

function findPrlimit(): string | null {
  for (const dir of ['/usr/bin', '/bin', '/usr/local/bin', '/usr/sbin', '/sbin']) {
    const candidate = path.join(dir, 'prlimit');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Tasks (threads included, as RLIMIT_NPROC counts them) of a real uid. */
async function tasksOfUid(uid: number): Promise<number> {
  let count = 0;
  const names = await readdir('/proc').catch(() => [] as string[]);
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const status = await readFile(`/proc/${name}/status`, 'utf8').catch(() => '');
    const uidLine = /^Uid:\s+(\d+)/m.exec(status);
    if (!uidLine || Number(uidLine[1]) !== uid) continue;
    count += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
  }
  return count;
}

export interface LimitSnapshot {
  counters: CgroupCounters;
}

/** The limits of one session: wraps its commands, explains failures, guards the file tools' writes. */
export class SessionLimiter {
  constructor(
    private readonly owner: LimitEnforcement,
    readonly rootDir: string,
    private readonly cgroup: SessionCgroup | null,
    private readonly mounted: boolean,
  ) {}

  get limits(): SessionLimits {
    return this.owner.limits;
  }

  /** Puts the cgroup join and the rlimits in front of a spawn plan. */
  async wrap(plan: SpawnPlan): Promise<SpawnPlan> {
    let command = plan.command;
    let args = plan.args;
    const rlimits = await this.owner.rlimitArgs();
    if (rlimits.length > 0 && this.owner.prlimit !== null) {
      args = [...rlimits, '--', command, ...args];
      command = this.owner.prlimit;
    }
    const procs = this.cgroup?.procsFiles() ?? [];
    if (procs.length > 0) {
      const join = procs.map(() => `echo $$ >"$1" || { echo "agentbay: cannot enter the session's cgroup" >&2; exit 125; }; shift; `).join('');
      args = ['-c', `${join}exec "$@"`, 'agentbay-limits', ...procs, command, ...args];
      command = '/bin/sh';
    }
    return { ...plan, command, args };
  }

  /**
   * What a command started by the session's command host puts in front of itself. The host is
   * started through `wrap`, so its commands inherit the cgroups and the rlimits; only a limit that
   * changes from command to command (RLIMIT_NPROC, counted from the user's tasks) is set again.
   */
  async hostedCommandPrefix(): Promise<string[]> {
    if (!this.owner.rlimitsVaryPerCommand || this.owner.prlimit === null) return [];
    return [this.owner.prlimit, ...(await this.owner.rlimitArgs()), '--'];
  }

  async snapshot(): Promise<LimitSnapshot> {
    return { counters: this.cgroup ? await this.cgroup.counters() : { oomKills: 0, pidsMaxHits: 0 } };
  }

  /** Which limit, if any, the run ran into; null when none is recognisable. */
  async diagnose(before: LimitSnapshot, outcome: RunOutcome): Promise<string | null> {
    if (outcome.spawnError !== undefined || outcome.aborted) return null;
    const limits = this.limits;
    const after = await this.snapshot();
    const failed = outcome.exitCode !== 0;
    if (after.counters.oomKills > before.counters.oomKills) return this.memoryMessage();
    if (after.counters.pidsMaxHits > before.counters.pidsMaxHits) {
      await this.cgroup?.settle(SETTLE_MS);
      return this.processMessage();
    }
    if (outcome.timedOut) return null;
    const stderr = outcome.stderr;
    if (limits.diskBytes > 0 && failed) {
      if (this.mounted && (await this.bytesFree()) < Math.max(64 * 1024, limits.diskBytes / 100)) return this.diskMessage();
    }
    // RLIMIT_FSIZE: SIGXFSZ kills the writer ("File size limit exceeded"), or EFBIG where it is ignored.
    if (limits.diskBytes > 0 && !this.mounted && (outcome.exitCode === KILLED_BY_SIGXFSZ || /File too large|File size limit exceeded/.test(stderr))) {
      return this.diskMessage();
    }
    const cpuKill = outcome.exitCode === KILLED_BY_SIGXCPU || outcome.exitCode === KILLED;
    if (limits.cpuSeconds > 0 && this.owner.prlimit !== null && cpuKill && outcome.durationMs >= limits.cpuSeconds * 1000) {
      return `The command hit its CPU time limit (${limits.cpuSeconds} s per process) and was killed`;
    }
    if (failed && limits.memoryBytes > 0 && !this.cgroup?.has('memory') && /MemoryError|Cannot allocate memory|out of memory|bad_alloc|OutOfMemoryError/i.test(stderr)) {
      return this.memoryMessage();
    }
    if (failed && limits.processes > 0 && !this.cgroup?.has('pids') && /fork: .*Resource temporarily unavailable/.test(stderr)) {
      return this.processMessage();
    }
    return null;
  }

  memoryMessage(): string {
    const what = this.cgroup?.has('memory') ? '' : ' of address space per process';
    return `The session hit its memory limit (${formatBytes(this.limits.memoryBytes)}${what}); the process that needed more was stopped`;
  }

  processMessage(): string {
    return `The session hit its process limit (${this.limits.processes} processes); starting more processes failed`;
  }

  diskMessage(): string {
    return `The session hit its disk limit (${formatBytes(this.limits.diskBytes)} for /home/wuying and /tmp together)`;
  }

  private async bytesFree(): Promise<number> {
    return this.limits.diskBytes - (await filesystemUsage(this.rootDir).catch(() => 0));
  }

  /**
   * Refuses a server-side write that would take the session past its disk limit, before anything
   * is truncated. `replacedBytes` is what the write frees (the old size on overwrite).
   */
  async assertRoomFor(bytes: number, replacedBytes: number, virtualPath: string): Promise<void> {
    const limit = this.limits.diskBytes;
    if (limit <= 0) return;
    const used = this.mounted ? await filesystemUsage(this.rootDir) : await treeUsage(this.rootDir);
    const pages = (n: number): number => Math.ceil(n / PAGE) * PAGE;
    if (used - pages(replacedBytes) + pages(bytes) > limit) throw this.diskFullError(virtualPath);
  }

  diskFullError(virtualPath: string): ToolError {
    return new ToolError(`No space left on device: ${virtualPath}. ${this.diskMessage()}`);
  }

  /** Kills whatever is left in the session's cgroups and releases its filesystem. */
  async destroy(): Promise<void> {
    await this.cgroup?.destroy();
    if (this.mounted) await unmount(this.rootDir);
  }
}

export class LimitEnforcement {
  private constructor(
    readonly limits: SessionLimits,
    private readonly cgroups: CgroupManager | null,
    private readonly tmpfs: boolean,
    readonly prlimit: string | null,
    private readonly tmpfsNote: string,
  ) {}

  static async choose(limits: SessionLimits, mechanisms: LimitMechanisms, probeDir: string): Promise<LimitEnforcement> {
    const cgroups = mechanisms.cgroups === false || process.platform !== 'linux' ? null : await CgroupManager.detect();
    let tmpfsNote = 'turned off';
    let tmpfs = false;
    if (mechanisms.tmpfsMount !== false && limits.diskBytes > 0) {
      const failure = await probeTmpfsMount(probeDir);
      tmpfs = failure === null;
      tmpfsNote = failure === null ? '' : process.getuid?.() === 0 ? failure : 'mounting needs root';
    }
    return new LimitEnforcement(limits, cgroups, tmpfs, findPrlimit(), tmpfsNote);
  }

  private hasCgroup(controller: 'memory' | 'pids'): boolean {
    return this.cgroups?.has(controller) ?? false;
  }

  private get isRoot(): boolean {
    return process.getuid?.() === 0;
  }

  /** Whether `rlimitArgs` changes between commands (RLIMIT_NPROC depends on the user's current task count). */
  get rlimitsVaryPerCommand(): boolean {
    return this.limits.processes > 0 && !this.hasCgroup('pids') && !this.isRoot;
  }

  /** prlimit options for the next command (RLIMIT_NPROC depends on the user's current task count). */
  async rlimitArgs(): Promise<string[]> {
    const { memoryBytes, diskBytes, processes, cpuSeconds } = this.limits;
    const args: string[] = [];
    // Soft below hard: a process that is not pid 1 of its namespace dies of SIGXCPU (recognisable).
    if (cpuSeconds > 0) args.push(`--cpu=${cpuSeconds}:${cpuSeconds + 1}`);
    if (memoryBytes > 0 && !this.hasCgroup('memory')) args.push(`--as=${memoryBytes}`);
    if (diskBytes > 0 && !this.tmpfs) args.push(`--fsize=${diskBytes}`);
    if (processes > 0 && !this.hasCgroup('pids') && !this.isRoot) {
      // RLIMIT_NPROC counts every task of the user: allow this many on top of what already runs.
      const uid = process.getuid?.() ?? 0;
      args.push(`--nproc=${(await tasksOfUid(uid)) + processes}`);
    }
    return args;
  }

  /** One line: each limit and what enforces it. */
  summary(): string {
    const { memoryBytes, diskBytes, processes, cpuSeconds } = this.limits;
    const rl = this.prlimit !== null;
    const part = (label: string, value: number, text: string, how: string): string =>
      value > 0 ? `${label} ${text} (${how})` : `${label} unlimited`;
    return [
      part('memory', memoryBytes, formatBytes(memoryBytes), this.hasCgroup('memory') ? this.cgroups!.describe('memory') : rl ? 'RLIMIT_AS per process' : 'not enforced'),
      part('disk', diskBytes, formatBytes(diskBytes), this.tmpfs ? 'tmpfs per session' : 'file tools + RLIMIT_FSIZE'),
      part('processes', processes, String(processes), this.hasCgroup('pids') ? this.cgroups!.describe('pids') : !rl || this.isRoot ? 'not enforced' : 'RLIMIT_NPROC per user'),
      part('CPU', cpuSeconds, `${cpuSeconds} s per process`, rl ? 'RLIMIT_CPU' : 'not enforced'),
    ].join(', ');
  }

  /** Limits that are not, or only partly, enforced here; '' when every limit holds per session. */
  note(): string {
    const { memoryBytes, diskBytes, processes, cpuSeconds } = this.limits;
    const rl = this.prlimit !== null;
    const weak: string[] = [];
    if (memoryBytes > 0 && !this.hasCgroup('memory')) {
      weak.push(rl ? 'memory is capped per process as address space (RLIMIT_AS), not per session (no usable memory cgroup)' : 'memory is not limited (no usable memory cgroup, no prlimit)');
    }
    if (diskBytes > 0 && !this.tmpfs) {
      weak.push(`disk is checked by the file tools only; commands are capped per file (RLIMIT_FSIZE), not in total (no per-session tmpfs: ${this.tmpfsNote})`);
    }
    if (processes > 0 && !this.hasCgroup('pids')) {
      if (!rl || this.isRoot) weak.push(`processes are not limited (no usable pids cgroup${this.isRoot ? '; root ignores RLIMIT_NPROC' : ', no prlimit'})`);
      else weak.push('processes are limited per user by RLIMIT_NPROC, shared by all sessions (no usable pids cgroup)');
    }
    if (cpuSeconds > 0 && !rl) weak.push('CPU time is not limited (prlimit not found)');
    return weak.length > 0 ? `limits weaker than per session: ${weak.join('; ')}` : '';
  }

  /** Sets up a session's limits before its directories are made (the tmpfs must come first). */
  async createSession(sessionId: string, rootDir: string): Promise<SessionLimiter> {
    const cgroup = this.cgroups && (this.hasCgroup('memory') || this.hasCgroup('pids'))
      ? await this.cgroups.createSession(sessionId, this.limits.memoryBytes, this.limits.processes)
      : null;
    if (this.tmpfs) {
      const failure = await mountTmpfs(rootDir, this.limits.diskBytes);
      if (failure !== null) {
        await cgroup?.destroy();
        throw new Error(`Cannot give session ${sessionId} its disk: ${failure}`);
      }
    }
    return new SessionLimiter(this, rootDir, cgroup, this.tmpfs);
  }

  async close(): Promise<void> {
    await this.cgroups?.close();
  }
}
