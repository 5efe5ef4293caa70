/**
 * Finds a session's processes by an environment marker (`NAME=token`) in /proc/<pid>/environ.
 *
 * Why: a process group does not catch everything. In process mode a command can `setsid` out of
 * its group, and in bubblewrap mode the sandboxed processes live in their own session. The
 * environment is inherited across fork/exec/setsid, so the marker finds them all (a process that
 * execs with a cleared environment escapes this; bubblewrap's pid namespace still covers that).
 */
import { readdir, readFile } from 'node:fs/promises';

export async function findMarkedPids(marker: string, exclude: readonly number[] = []): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return []; // not Linux: only the process-group kill applies
  }
  const needle = Buffer.from(`${marker}\0`);
  const pids: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid || exclude.includes(pid)) continue;
    let env: Buffer;
    try {
      env = await readFile(`/proc/${name}/environ`);
    } catch {
      continue; // gone, or not ours to read
    }
    const at = env.indexOf(needle);
    if (at === 0 || (at > 0 && env[at - 1] === 0)) pids.push(pid);
  }
  return pids;
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone; EPERM: not ours. Either way nothing more to do.
  }
}

/** Signals every marked process; for SIGKILL, repeats until none is left (forks during the sweep). */
export async function signalMarked(marker: string, signal: NodeJS.Signals, exclude: readonly number[] = []): Promise<number> {
  let total = 0;
  for (let round = 0; round < (signal === 'SIGKILL' ? 5 : 1); round++) {
    const pids = await findMarkedPids(marker, exclude);
    if (pids.length === 0) break;
    for (const pid of pids) signalPid(pid, signal);
    total += pids.length;
  }
  return total;
}

/** Signals a whole process group (negative pid); ignores a group that is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  signalPid(-pgid, signal);
}
