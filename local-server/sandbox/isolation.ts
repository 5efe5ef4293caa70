/**
 * Turns "run argv in this session, in this virtual cwd, with this environment" into a concrete
 * spawn plan for the chosen isolation mode, and decides the mode (`auto` probes bubblewrap).
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IsolationMode } from './contract';
import { COMMAND_HOST_SOURCE } from './command-host-source';
import { bubblewrapArgs, findBubblewrap, prepareLayout, probeBubblewrap, type BubblewrapLayout } from './bubblewrap';
import { HOME, type SessionPaths } from './paths';
import type { SpawnPlan } from './process-runner';

const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface CommandSpec {
  argv: string[];
  /** Resolved working directory (virtual and host forms). */
  cwd: { virtual: string; host: string };
  /** Caller-supplied variables; they override the defaults but never the markers. */
  env?: Record<string, string>;
  /** Marker variables (`NAME=value`) that find the processes later; applied last. */
  markers: string[];
  /** Keep the host's network namespace (bubblewrap only; process mode has no network isolation anyway). */
  shareNetwork?: boolean;
}

/**
 * Commands started by a command host that lives in the session's sandbox (command-host.ts), instead
 * of a sandbox set up per command; absent where commands are spawned one by one.
 */
export interface CommandHosting {
  /** The plan that starts the session's host (with the session's markers, as any process of it). */
  hostPlan(paths: SessionPaths, markers: string[]): SpawnPlan;
  /** The environment a command gets inside the sandbox: the same as `plan` gives it. */
  commandEnv(spec: CommandSpec): Record<string, string>;
}

export interface Isolation {
  readonly mode: IsolationMode;
  readonly note: string;
  readonly commandHosting?: CommandHosting;
  plan(paths: SessionPaths, spec: CommandSpec): SpawnPlan;
  /** Whether `name` can be run inside a session (looked up on the session's PATH). */
  hasExecutable(name: string): boolean;
  /** How the session reaches the Node.js binary (process mode: exactly the server's own). */
  nodeBinary(): string;
}

function applyMarkers(env: Record<string, string>, markers: string[]): Record<string, string> {
  for (const m of markers) {
    const eq = m.indexOf('=');
    env[m.slice(0, eq)] = m.slice(eq + 1);
  }
  return env;
}

function lookup(name: string, pathVar: string): string | null {
  for (const dir of pathVar.split(':')) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

class BubblewrapIsolation implements Isolation {
  readonly mode = 'bubblewrap' as const;
  readonly commandHosting: CommandHosting | undefined;

  /** `scratchBytes`: size of each sandbox's own /var/tmp, /run and /dev/shm (0 = unlimited). */
  constructor(
    private readonly bwrap: string,
    private readonly layout: BubblewrapLayout,
    private readonly scratchBytes: number,
    readonly note: string,
    hostCommands: boolean,
  ) {
    // The host is a Node.js script: it needs a node the sandbox can run.
    const node = this.nodeBinary();
    this.commandHosting = hostCommands && (node.startsWith('/usr/') || this.hasExecutable(node))
      ? {
        hostPlan: (paths, markers) => this.plan(paths, { argv: [node, '-e', COMMAND_HOST_SOURCE], cwd: { virtual: HOME, host: paths.homeHost }, markers }, false),
        commandEnv: (spec) => this.env(spec),
      }
      : undefined;
  }

  private env(spec: CommandSpec): Record<string, string> {
    return applyMarkers(
      { PATH: SANDBOX_PATH, HOME, TMPDIR: '/tmp', LANG: 'C.UTF-8', SHELL: '/bin/bash', USER: process.getuid?.() === 0 ? 'root' : 'wuying', ...spec.env },
      spec.markers,
    );
  }

  plan(paths: SessionPaths, spec: CommandSpec, commandIsInit = true): SpawnPlan {
    return {
      command: this.bwrap,
      args: bubblewrapArgs(this.layout, paths.rootDir, spec.cwd.virtual, spec.argv, this.scratchBytes, spec.shareNetwork === true, commandIsInit),
      cwd: paths.rootDir,
      // bwrap hands its own environment to the command, so the sandbox env is simply bwrap's env.
      env: this.env(spec),
      ownPidNamespace: commandIsInit,
    };
  }

  hasExecutable(name: string): boolean {
    // The sandbox's /usr is the host's, so the host filesystem answers for it.
    return lookup(name, SANDBOX_PATH) !== null;
  }

  nodeBinary(): string {
    return process.execPath.startsWith('/usr/') ? process.execPath : 'node';
  }
}

class ProcessIsolation implements Isolation {
  readonly mode = 'process' as const;
  constructor(readonly note: string) {}

  plan(paths: SessionPaths, spec: CommandSpec): SpawnPlan {
    // A clean environment: the server's own variables (API keys among them) must not leak in.
    const env = applyMarkers(
      {
        PATH: process.env.PATH ?? SANDBOX_PATH,
        HOME: paths.homeHost,
        TMPDIR: paths.tmpHost,
        LANG: 'C.UTF-8',
        SHELL: '/bin/bash',
        USER: hostUserName(),
        ...spec.env,
      },
      spec.markers,
    );
    const [command, ...args] = spec.argv;
    return { command: command ?? '/bin/sh', args, cwd: spec.cwd.host, env };
  }

  hasExecutable(name: string): boolean {
    return lookup(name, process.env.PATH ?? SANDBOX_PATH) !== null;
  }

  nodeBinary(): string {
    return process.execPath;
  }
}

function hostUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'wuying'; // uid without a passwd entry (some containers)
  }
}

const PROCESS_WARNING = 'commands run as plain processes without filesystem or network isolation';

/** `hostCommands`: in bubblewrap mode, run each session's commands through one command host (command-host.ts). */
export async function chooseIsolation(requested: 'auto' | IsolationMode, etcDir: string, scratchBytes: number, hostCommands = true): Promise<Isolation> {
  if (requested === 'process') return new ProcessIsolation(`process isolation requested; ${PROCESS_WARNING}`);
  const bwrap = findBubblewrap();
  let reason: string;
  if (bwrap === null) {
    reason = 'bubblewrap not found';
  } else {
    const layout = await prepareLayout(etcDir);
    const failure = await probeBubblewrap(bwrap, layout, scratchBytes);
    if (failure === null) return new BubblewrapIsolation(bwrap, layout, scratchBytes, '', hostCommands);
    // bubblewrap before 0.5 has no --size: keep its isolation, with unbounded scratch tmpfs.
    if (scratchBytes > 0 && (await probeBubblewrap(bwrap, layout, 0)) === null) {
      return new BubblewrapIsolation(bwrap, layout, 0, `each sandbox's /var/tmp, /run and /dev/shm are not size-limited (this bubblewrap has no --size)`, hostCommands);
    }
    reason = failure;
  }
  if (requested === 'bubblewrap') throw new Error(`bubblewrap isolation requested but unavailable: ${reason}`);
  return new ProcessIsolation(`${reason}; ${PROCESS_WARNING}`);
}
