/**
 * Runs `mount` and `umount` for the sessions' filesystems from one small long-lived shell, instead of
 * spawning them from the server. Why: `spawn` forks the calling process synchronously, which costs in
 * proportion to its memory (several ms for the server) and blocks its event loop meanwhile; this was
 * most of a session create's time. The shell forks cheaply, off the server's event loop.
 *
 * The shell takes three lines per request (operation, size, directory) and answers one line:
 * `<exit status> <first line of the error output>`. Requests are answered in order. Inputs come
 * from the server only (paths it made); a path with a newline is refused before it is sent.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** How long one mount or umount may take before the helper is given up (and its requests fail). */
const REQUEST_TIMEOUT_MS = 10_000;

const SCRIPT = `
nl='
'
while IFS= read -r op && IFS= read -r size && IFS= read -r dir; do
  case "$op" in
    mount) err=$(mount -t tmpfs -o "size=$size,mode=0755" agentbay-session "$dir" 2>&1) ;;
    umount) err=$(umount --lazy "$dir" 2>&1) ;;
    *) err='unknown operation'; false ;;
  esac
  status=$?
  printf '%s %s\\n' "$status" "\${err%%"$nl"*}"
done
`;

interface Pending {
  resolve: (failure: string | null) => void;
  timer: NodeJS.Timeout;
}

class MountHelper {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  private buffered = '';
  dead = false;

  constructor() {
    this.child = spawn('/bin/sh', ['-c', SCRIPT], { stdio: 'pipe' });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.receive(chunk));
    this.child.stderr.resume();
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', () => this.stop('the mount helper could not be started'));
    this.child.on('exit', () => this.stop('the mount helper stopped'));
    // It must not keep the server's process alive; at exit its stdin closes and the loop ends.
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  }

  request(op: 'mount' | 'umount', size: string, dir: string): Promise<string | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.stop(`${op} took longer than ${REQUEST_TIMEOUT_MS / 1000} s`);
        this.child.kill('SIGKILL');
      }, REQUEST_TIMEOUT_MS);
      this.pending.push({ resolve, timer });
      this.child.stdin.write(`${op}\n${size}\n${dir}\n`);
    });
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      const next = this.pending.shift();
      if (!next) continue;
      clearTimeout(next.timer);
      const space = line.indexOf(' ');
      const status = space < 0 ? line : line.slice(0, space);
      next.resolve(status === '0' ? null : (line.slice(space + 1).trim() || `exit status ${status}`));
    }
  }

  private stop(reason: string): void {
    this.dead = true;
    for (const next of this.pending.splice(0)) {
      clearTimeout(next.timer);
      next.resolve(reason);
    }
  }
}

let helper: MountHelper | undefined;

/** Runs one mount/umount through the shared helper; resolves null on success, else the reason. */
export function viaMountHelper(op: 'mount' | 'umount', size: string, dir: string): Promise<string | null> {
  if (dir.includes('\n') || size.includes('\n')) return Promise.resolve('a path with a line break cannot be mounted');
  if (helper === undefined || helper.dead) helper = new MountHelper();
  return helper.request(op, size, dir);
}
