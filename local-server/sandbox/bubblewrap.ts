/**
 * bubblewrap command lines and the probe that decides whether this machine can use them.
 *
 * A sandboxed command sees: read-only /usr (and /bin, /lib, /lib64, /sbin as the host has them),
 * a minimal read-only /etc, its session's /home/wuying and /tmp read-write, fresh /proc and /dev,
 * no network and no capabilities (root inside could otherwise remount /usr read-write).
 * Everything else is read-only, except per-command scratch tmpfs (/var/tmp, /run, /dev/shm) of at
 * most the disk limit each: bwrap's own root is an unbounded tmpfs, which a command could otherwise
 * fill with memory the disk limit never sees.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

/** The bwrap binary, or null when none is installed. */
export function findBubblewrap(): string | null {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin', '/bin']);
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, 'bwrap');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** /etc entries that interpreters need (dynamic loader, alternatives symlinks, JVM config, TLS). */
const ETC_ALLOWLIST = new Set([
  'alternatives', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'nsswitch.conf', 'hosts', 'localtime',
  'timezone', 'matplotlibrc', 'ssl', 'ca-certificates', 'ca-certificates.conf', 'mime.types', 'os-release', 'debian_version',
  'profile', 'bash.bashrc', 'inputrc', 'locale.alias', 'fonts', 'R', 'gai.conf', 'protocols', 'services',
]);
const ETC_PREFIXES = ['java-', 'python'];

function etcEntries(): string[] {
  let names: string[];
  try {
    names = readdirSync('/etc');
  } catch {
    return [];
  }
  return names.filter((n) => ETC_ALLOWLIST.has(n) || ETC_PREFIXES.some((p) => n.startsWith(p))).sort();
}

/** Top-level host entries that are either merged-/usr symlinks or real directories to bind. */
function rootLinkArgs(): string[] {
  const args: string[] = [];
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const p = `/${name}`;
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(p), p);
    else if (st.isDirectory()) args.push('--ro-bind', p, p);
  }
  return args;
}

export interface BubblewrapLayout {
  /** Directory with the synthesised passwd/group files bound into every sandbox. */
  etcDir: string;
  staticArgs: string[];
}

/**
 * Writes a minimal passwd/group (the host's would leak its user list) and precomputes the
 * arguments that are the same for every command.
 */
export async function prepareLayout(etcDir: string): Promise<BubblewrapLayout> {
  await mkdir(etcDir, { recursive: true });
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const user = uid === 0 ? 'root' : 'wuying';
  const group = gid === 0 ? 'root' : 'wuying';
  const passwd = [`root:x:0:0:root:/root:/bin/bash`];
  if (uid !== 0) passwd.push(`${user}:x:${uid}:${gid}:${user}:/home/wuying:/bin/bash`);
  const groups = [`root:x:0:`];
  if (gid !== 0) groups.push(`${group}:x:${gid}:`);
  await writeFile(path.join(etcDir, 'passwd'), passwd.join('\n') + '\n');
  await writeFile(path.join(etcDir, 'group'), groups.join('\n') + '\n');
  await writeFile(path.join(etcDir, 'hostname'), 'agentbay-sandbox\n');

  const args = [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--as-pid-1',
    '--cap-drop', 'ALL',
    '--hostname', 'agentbay-sandbox',
    '--ro-bind', '/usr', '/usr',
    ...rootLinkArgs(),
    '--dir', '/etc',
  ];
  for (const name of etcEntries()) args.push('--ro-bind', `/etc/${name}`, `/etc/${name}`);
  for (const name of ['passwd', 'group', 'hostname']) args.push('--ro-bind', path.join(etcDir, name), `/etc/${name}`);
  args.push('--proc', '/proc', '--dev', '/dev', '--remount-ro', '/dev');
  return { etcDir, staticArgs: args };
}

/** A tmpfs of at most `bytes` (0 = unlimited) at `dir`. */
function scratchTmpfs(dir: string, bytes: number): string[] {
  return bytes > 0 ? ['--size', String(bytes), '--tmpfs', dir] : ['--tmpfs', dir];
}

/**
 * Full bwrap argv (without the binary) to run `argv` in the session rooted at `rootDir`.
 * `commandIsInit: false` leaves pid 1 to bwrap's own init, which reaps orphans: a session's command
 * host (command-host-source.ts) starts many commands and does not reap what they leave behind.
 */
export function bubblewrapArgs(
  layout: BubblewrapLayout,
  rootDir: string,
  cwd: string,
  argv: readonly string[],
  scratchBytes: number,
  shareNetwork = false,
  commandIsInit = true,
): string[] {
  return [
    ...(commandIsInit ? layout.staticArgs : layout.staticArgs.filter((arg) => arg !== '--as-pid-1')),
    // `--share-net` undoes the network part of `--unshare-all`; DNS then needs the host's resolver config.
    ...(shareNetwork ? ['--share-net', ...(existsSync('/etc/resolv.conf') ? ['--ro-bind', '/etc/resolv.conf', '/etc/resolv.conf'] : [])] : []),
    ...scratchTmpfs('/dev/shm', scratchBytes),
    ...scratchTmpfs('/run', scratchBytes),
    ...scratchTmpfs('/var/tmp', scratchBytes),
    '--bind', path.join(rootDir, 'home', 'wuying'), '/home/wuying',
    '--bind', path.join(rootDir, 'tmp'), '/tmp',
    '--remount-ro', '/',
    '--chdir', cwd,
    '--',
    ...argv,
  ];
}

/** Runs `true` in a throwaway sandbox; resolves to null on success, else the reason it failed. */
export async function probeBubblewrap(bwrap: string, layout: BubblewrapLayout, scratchBytes: number): Promise<string | null> {
  const root = path.join(os.tmpdir(), `agentbay-bwrap-probe-${process.pid}-${Date.now()}`);
  await mkdir(path.join(root, 'home', 'wuying'), { recursive: true });
  await mkdir(path.join(root, 'tmp'), { recursive: true });
  try {
    return await new Promise<string | null>((resolve) => {
      const child = spawn(bwrap, bubblewrapArgs(layout, root, '/home/wuying', ['/bin/sh', '-c', 'exit 0'], scratchBytes), {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.on('error', (err) => {
        clearTimeout(timer);
        resolve(`bubblewrap could not be started (${err.message})`);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(null);
        else resolve(`bubblewrap probe failed (${signal ?? `exit ${code}`}: ${stderr.trim().split('\n')[0] ?? ''})`);
      });
    });
  } finally {
    await rm(root, { recursive: true, force: true }).catch(() => undefined);
  }
}
