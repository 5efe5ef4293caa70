/**
 * Running one long-lived process of a session (the browser) under another, unprivileged uid/gid.
 *
 * Only a root server can switch users. The switch happens in front of bubblewrap, with util-linux `setpriv`, so
 * bwrap itself runs unprivileged, in a user namespace of that uid: every process of that sandbox, bwrap included,
 * has that uid on the host, and the sandbox's own tmpfs (/dev/shm, /run, /var/tmp) belong to it. Switching inside
 * the sandbox does not work: a root bwrap maps only uid 0 into its user namespace (setresuid fails with EINVAL).
 * The cgroup join and the rlimits are put in front of the switch (enforcement.ts), so they are applied as root.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Isolation } from './isolation';
import { HOME, SessionPaths } from './paths';
import type { SpawnPlan } from './process-runner';

/** A uid and gid to run as; never 0. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** Whether this server can run processes as other users, and why not when it cannot. */
export interface UserSwitch {
  available: boolean;
  /** Why not, when unavailable; '' when available. */
  note: string;
}

/** The probe's uid: `nobody`, which exists everywhere and owns nothing. */
const PROBE_UID = 65534;
const PROBE_TIMEOUT_MS = 10_000;

export function findSetpriv(): string | null {
  return ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv'].find((candidate) => existsSync(candidate)) ?? null;
}

/** `plan` started as `user`: setpriv drops to its uid/gid and no supplementary groups, then execs the plan. */
export function switchUser(setpriv: string, plan: SpawnPlan, user: RunAs): SpawnPlan {
  if (!Number.isInteger(user.uid) || !Number.isInteger(user.gid) || user.uid <= 0 || user.gid <= 0) {
    throw new Error(`refusing to run a session process as uid ${user.uid}, gid ${user.gid}: not an unprivileged user`);
  }
  return {
    ...plan,
    command: setpriv,
    args: ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups', '--no-new-privs', '--', plan.command, ...plan.args],
  };
}

/**
 * Decides once, at start, whether session processes can run as other users here: the server is root, setpriv is
 * installed, and `exit 0` runs in a throwaway session of `isolation` as `nobody` with group `gid` (unprivileged
 * bubblewrap needs user namespaces, which some containers forbid, and must reach the session directories: every
 * directory above them must let that group or everyone through).
 */
export async function probeUserSwitch(isolation: Isolation, baseDir: string, gid: number | undefined): Promise<{ setpriv: string | null; userSwitch: UserSwitch }> {
  if (gid === undefined) return { setpriv: null, userSwitch: { available: false, note: 'no group was given for processes of other users' } };
  if (process.getuid?.() !== 0) {
    return { setpriv: null, userSwitch: { available: false, note: 'the server does not run as root, so it cannot switch users' } };
  }
  const setpriv = findSetpriv();
  if (setpriv === null) return { setpriv: null, userSwitch: { available: false, note: 'setpriv (util-linux) is not installed' } };
  const root = path.join(baseDir, `.run-as-probe-${process.pid}`);
  await mkdir(path.join(root, 'home', 'wuying'), { recursive: true, mode: 0o755 });
  await mkdir(path.join(root, 'tmp'), { recursive: true, mode: 0o755 });
  try {
    const paths = new SessionPaths(root);
    const plan = switchUser(setpriv, isolation.plan(paths, {
      argv: ['/bin/sh', '-c', 'exit 0'],
      cwd: { virtual: HOME, host: paths.homeHost },
      markers: [],
    }), { uid: PROBE_UID, gid });
    const failure = await runProbe(plan);
    return failure === null
      ? { setpriv, userSwitch: { available: true, note: '' } }
      : { setpriv: null, userSwitch: { available: false, note: `running a sandbox as another user failed (${failure})` } };
  } finally {
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}

function runProbe(plan: SpawnPlan): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(plan.command, plan.args, { cwd: plan.cwd, env: plan.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2048);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve(err.message);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? null : `${signal ?? `exit ${code}`}: ${stderr.trim().split('\n')[0] ?? ''}`);
    });
  });
}
