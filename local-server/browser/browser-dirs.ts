/**
 * The directories of a session that a browser running as its own user (browser-users.ts) needs, handed to that
 * user before it starts:
 *
 *   profile     owned by the browser user, mode 0700, everything below it too (a profile synced in from a context
 *               was written by the server): the session's commands cannot read it, the browser can write it.
 *   Downloads   /home/wuying/Downloads, Chromium's default download directory: owned by the browser user, group
 *               the server's (the session's commands' group), mode 2770, so files the browser downloads there are
 *               readable and removable by the session's commands (setgid: new files get that group too).
 *   /tmp        the session's /tmp gets mode 1777, as any /tmp has: Chromium keeps its temporary files there.
 *
 * The session's commands may have planted symbolic links at these paths: every change is made through a
 * descriptor opened with O_NOFOLLOW, and the recursive chown is GNU chown -R -P, which walks with openat and never
 * follows a link.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import * as path from 'node:path';
import type { RunAs } from '../sandbox';

const CHOWN_TIMEOUT_MS = 60_000;
export const DOWNLOADS_DIR = 'Downloads';

/** Changes owner and mode of the directory `dir` (not a link to one); false when `dir` is not a directory. */
async function ownDirectory(dir: string, uid: number, gid: number, mode: number): Promise<boolean> {
  let handle;
  try {
    handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    await handle.chown(uid, gid);
    await handle.chmod(mode);
    return true;
  } finally {
    await handle.close();
  }
}

function chownTree(dir: string, user: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('chown', ['-R', '-P', `${user.uid}:${user.gid}`, '--', dir], { timeout: CHOWN_TIMEOUT_MS }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`could not hand the browser profile to its user: ${String(stderr).trim().split('\n')[0] || err.message}`));
      else resolve();
    });
  });
}

/** The profile directory (host path, made already): the browser user's alone. False when it is not a directory. */
export async function handProfileTo(profileHost: string, user: RunAs): Promise<boolean> {
  // The top first: from then on the session's commands (root without capabilities) cannot change what is below.
  if (!(await ownDirectory(profileHost, user.uid, user.gid, 0o700))) return false;
  await chownTree(profileHost, user);
  return true;
}

/**
 * The session's /tmp and Downloads directory (host paths of the session's home and tmp), as described above.
 * A Downloads that is not a directory (a file, a link) is left alone: the browser then cannot save downloads there.
 */
export async function prepareSessionDirs(homeHost: string, tmpHost: string, user: RunAs): Promise<void> {
  const serverGid = process.getgid?.() ?? 0;
  await ownDirectory(tmpHost, process.getuid?.() ?? 0, serverGid, 0o1777);
  const downloads = path.join(homeHost, DOWNLOADS_DIR);
  await mkdir(downloads).catch(() => undefined);
  await ownDirectory(downloads, user.uid, serverGid, 0o2770);
}
