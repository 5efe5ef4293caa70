/**
 * Per-session control groups for the memory and process limits, when this machine lets the server
 * create them: cgroup v2 (a writable own cgroup with the memory/pids controllers delegated) or the
 * v1 `memory` and `pids` hierarchies (writable as root). Each controller is probed on its own: one
 * that cannot be used here is simply absent, and its limit falls back to an rlimit.
 *
 * Layout: `<own cgroup>/agentbay-<pid>-<rand>/<sessionId>`; the server-wide group is removed at close.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

const ROOT = '/sys/fs/cgroup';

export type CgroupController = 'memory' | 'pids';

/** Where the server-wide group of one controller lives, and which file format it speaks. */
interface ControllerGroup {
  version: 1 | 2;
  dir: string;
}

export interface CgroupCounters {
  oomKills: number;
  pidsMaxHits: number;
}

export class SessionCgroup {
  constructor(private readonly dirs: Partial<Record<CgroupController, ControllerGroup>>) {}

  /** `cgroup.procs` files a new process must join (one per hierarchy; v2 has one for both). */
  procsFiles(): string[] {
    return [...new Set(Object.values(this.dirs).map((g) => path.join(g.dir, 'cgroup.procs')))];
  }

  has(controller: CgroupController): boolean {
    return this.dirs[controller] !== undefined;
  }

  /** Kernel event counters; a rise between two readings means the limit was hit meanwhile. */
  async counters(): Promise<CgroupCounters> {
    const memory = this.dirs.memory;
    const pids = this.dirs.pids;
    return {
      oomKills: memory ? await readCounter(path.join(memory.dir, memory.version === 1 ? 'memory.oom_control' : 'memory.events'), 'oom_kill') : 0,
      pidsMaxHits: pids ? await readCounter(path.join(pids.dir, 'pids.events'), 'max') : 0,
    };
  }

  /** Pids still in the group (catches a process that escaped every other sweep). */
  async members(): Promise<number[]> {
    const pids = new Set<number>();
    for (const file of this.procsFiles()) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n')) if (/^\d+$/.test(line)) pids.add(Number(line));
    }
    return [...pids];
  }

  /**
   * Waits (at most `maxMs`) until killed processes have been released from the pids count. Why:
   * in process mode the killed children of a command are reaped by the host's init, which may take
   * a second; until then they still count, and the next command could not fork.
   */
  async settle(maxMs: number): Promise<void> {
    const pids = this.dirs.pids;
    if (!pids) return;
    const tasksFile = path.join(pids.dir, pids.version === 1 ? 'tasks' : 'cgroup.threads');
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline) {
      const current = Number((await readFile(path.join(pids.dir, 'pids.current'), 'utf8').catch(() => '0')).trim());
      const live = (await readFile(tasksFile, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '').length;
      if (current <= live) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills what is left and removes the groups; retries while dying processes still count as members. */
  async destroy(): Promise<void> {
    for (let attempt = 0; attempt < 40; attempt++) {
      for (const pid of await this.members()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      const left = await Promise.all(Object.values(this.dirs).map((g) => rmdir(g.dir).then(() => false, (err: NodeJS.ErrnoException) => err.code !== 'ENOENT')));
      if (!left.includes(true)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function readCounter(file: string, key: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const line = text.split('\n').find((l) => l.startsWith(`${key} `));
  return line ? Number(line.slice(key.length + 1)) || 0 : 0;
}

/** `/proc/self/cgroup` → the server's own cgroup path per v1 controller, and the v2 path ('' key). */
async function ownCgroups(): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const text = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const own = line.slice(second + 1);
    for (const c of controllers.split(',')) map.set(c, own);
  }
  return map;
}

async function tryWrite(file: string, value: string): Promise<boolean> {
  return writeFile(file, value).then(() => true, () => false);
}

const SERVER_GROUP = /^agentbay-(\d+)-[0-9a-f]{6}$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes empty groups a server that died without closing left behind (rmdir refuses busy ones). */
async function removeStaleGroups(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const match = SERVER_GROUP.exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    const dir = path.join(parent, name);
    const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const child of children) if (child.isDirectory()) await rmdir(path.join(dir, child.name)).catch(() => undefined);
    await rmdir(dir).catch(() => undefined);
  }
}

/** Makes the server-wide group under `parent`; null when the kernel does not let us. */
async function makeServerGroup(parent: string, name: string): Promise<string | null> {
  await removeStaleGroups(parent);
  const dir = path.join(parent, name);
  try {
    await mkdir(dir);
    return dir;
  } catch {
    return null;
  }
}

export class CgroupManager {
  private constructor(private readonly groups: Partial<Record<CgroupController, ControllerGroup>>) {}

  /** Probes what this machine allows; never throws. */
  static async detect(): Promise<CgroupManager> {
    const own = await ownCgroups();
    const name = `agentbay-${process.pid}-${randomBytes(3).toString('hex')}`;
    const groups: Partial<Record<CgroupController, ControllerGroup>> = {};
    const v2Path = own.get('');
    if (existsSync(path.join(ROOT, 'cgroup.controllers')) && v2Path !== undefined) {
      // Pure v2: enable the controllers for children of our own group (fails unless delegated).
      const parent = path.join(ROOT, v2Path);
      const dir = await makeServerGroup(parent, name);
      if (dir !== null) {
        await tryWrite(path.join(dir, 'cgroup.subtree_control'), '+memory +pids');
        const enabled = (await readFile(path.join(dir, 'cgroup.subtree_control'), 'utf8').catch(() => '')).split(/\s+/);
        if (enabled.includes('memory')) groups.memory = { version: 2, dir };
        if (enabled.includes('pids')) groups.pids = { version: 2, dir };
        if (!groups.memory && !groups.pids) await rmdir(dir).catch(() => undefined);
      }
    } else {
      for (const controller of ['memory', 'pids'] as const) {
        const ownPath = own.get(controller);
        const mount = path.join(ROOT, controller);
        if (ownPath === undefined || !existsSync(path.join(mount, 'cgroup.procs'))) continue;
        const dir = await makeServerGroup(path.join(mount, ownPath), name);
        if (dir !== null) groups[controller] = { version: 1, dir };
      }
    }
    return new CgroupManager(groups);
  }

  has(controller: CgroupController): boolean {
    return this.groups[controller] !== undefined;
  }

  describe(controller: CgroupController): string {
    const g = this.groups[controller];
    return g ? `cgroup v${g.version}` : 'no cgroup';
  }

  /** A group for one session with the given limits (0 = none); a controller that fails is left out. */
  async createSession(sessionId: string, memoryBytes: number, processes: number): Promise<SessionCgroup> {
    const dirs: Partial<Record<CgroupController, ControllerGroup>> = {};
    const made = new Map<string, string>(); // v2 shares one directory between both controllers
    for (const controller of ['memory', 'pids'] as const) {
      const parent = this.groups[controller];
      if (!parent) continue;
      const dir = made.get(parent.dir) ?? path.join(parent.dir, sessionId);
      if (!made.has(parent.dir)) {
        await mkdir(dir);
        made.set(parent.dir, dir);
      }
      dirs[controller] = { version: parent.version, dir };
    }
    const group = new SessionCgroup(dirs);
    try {
      if (dirs.memory && memoryBytes > 0) {
        const file = dirs.memory.version === 1 ? 'memory.limit_in_bytes' : 'memory.max';
        await writeFile(path.join(dirs.memory.dir, file), String(memoryBytes));
        // Without swap accounting a limit could be dodged by swapping out; v2 lets us forbid it.
        if (dirs.memory.version === 2) await tryWrite(path.join(dirs.memory.dir, 'memory.swap.max'), '0');
      }
      if (dirs.pids && processes > 0) await writeFile(path.join(dirs.pids.dir, 'pids.max'), String(processes));
    } catch (err) {
      await group.destroy();
      throw err;
    }
    return group;
  }

  /** Removes the server-wide groups (after every session group is gone). */
  async close(): Promise<void> {
    const dirs = new Set(Object.values(this.groups).map((g) => g.dir));
    await Promise.all([...dirs].map((dir) => rmdir(dir).catch(() => undefined)));
  }
}
