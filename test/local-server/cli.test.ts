/**
 * The `agentbay-local` CLI as a real child process: banner, key sources, loopback warning,
 * clean shutdown on SIGINT/SIGTERM.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { isLoopback } from '../../local-server/cli';
import { waitFor } from '../support/wait';

const CLI = path.resolve(__dirname, '../../local-server/cli.js');

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  url: string;
  key: string;
  dataDir: string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();

function field(text: string, label: string): string {
  const match = new RegExp(`${label}:\\s+(\\S+)`).exec(text);
  return match ? match[1] : '';
}

async function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const cleanEnv = { ...process.env, AGENTBAY_LOCAL_API_KEY: '', ...env };
  const child = spawn(process.execPath, [CLI, '--port', '0', '--quiet', ...args], { env: cleanEnv, stdio: 'pipe' });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`CLI exited before it started: ${out} ${err}`);
      return out.includes('Press Ctrl+C');
    },
    15000,
    () => `the CLI to start: ${out} ${err}`,
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    url: field(out, 'URL'),
    key: field(out, 'API key'),
    dataDir: field(out, 'Data dir'),
    exited,
  };
}

function rpc(url: string, key: string, action: string, params: Record<string, string>): Promise<Record<string, unknown>> {
  const body = new URLSearchParams({ ...params, Authorization: `Bearer ${key}` }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/?Action=${action}`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, agent: false },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text) as Record<string, unknown>);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function listTools(url: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/?Action=ListMcpTools`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(`Authorization=${encodeURIComponent(`Bearer ${key}`)}`);
  });
}

describe('local server: CLI', () => {
  afterEach(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    children.clear();
  });

  it('prints URL, generated key and isolation, serves, and exits 0 on SIGTERM', async () => {
    const run = await startCli([]);
    assert.match(run.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(run.key, /^akl-[0-9a-f]{32}$/);
    assert.match(run.stdout(), /Isolation:\s+(bubblewrap|process)/);
    assert.equal(run.stderr().includes('WARNING'), false);
    assert.equal(await listTools(run.url, run.key), 200);
    assert.equal(await listTools(run.url, 'wrong'), 401);
    assert.ok(existsSync(run.dataDir));
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
    assert.equal(existsSync(run.dataDir), false, 'the temp data dir is removed');
  });

  it('takes the key from AGENTBAY_LOCAL_API_KEY, --api-key winning, and exits 0 on SIGINT', async () => {
    const fromEnv = await startCli([], { AGENTBAY_LOCAL_API_KEY: 'akl-from-env' });
    assert.equal(fromEnv.key, 'akl-from-env');
    assert.equal(await listTools(fromEnv.url, 'akl-from-env'), 200);
    fromEnv.child.kill('SIGINT');
    assert.equal(await fromEnv.exited, 0);

    const fromFlag = await startCli(['--api-key', 'akl-from-flag'], { AGENTBAY_LOCAL_API_KEY: 'akl-from-env' });
    assert.equal(fromFlag.key, 'akl-from-flag');
    fromFlag.child.kill('SIGTERM');
    assert.equal(await fromFlag.exited, 0);
  });

  it('warns loudly when bound to a non-loopback address', async () => {
    const run = await startCli(['--host', '0.0.0.0']);
    // stderr is its own pipe: it may reach us after the banner on stdout did.
    await waitFor(() => /WARNING/.test(run.stderr()), 10000, () => `a warning on stderr: ${run.stderr()}`);
    assert.match(run.stderr(), /WARNING: listening on 0\.0\.0\.0/);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  it('rejects bad flags with exit code 2 and prints help with --help', async () => {
    const bad = spawn(process.execPath, [CLI, '--isolation', 'docker'], { stdio: 'pipe' });
    children.add(bad);
    let err = '';
    bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => bad.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /--isolation must be/);

    const help = spawn(process.execPath, [CLI, '--help'], { stdio: 'pipe' });
    children.add(help);
    let out = '';
    help.stdout.on('data', (c: Buffer) => (out += c.toString()));
    assert.equal(await new Promise<number | null>((resolve) => help.on('exit', resolve)), 0);
    assert.match(out, /--idle-timeout/);
  });

  it('takes the per-session limits as flags, lists them in --help and prints them in the banner', async () => {
    const help = spawn(process.execPath, [CLI, '--help'], { stdio: 'pipe' });
    children.add(help);
    let out = '';
    help.stdout.on('data', (c: Buffer) => (out += c.toString()));
    assert.equal(await new Promise<number | null>((resolve) => help.on('exit', resolve)), 0);
    for (const flag of ['--memory-limit <size>', '--disk-limit <size>', '--process-limit <n>', '--cpu-limit <s>']) assert.ok(out.includes(flag), flag);
    assert.match(out, /default 1 GiB/);

    for (const [args, message] of [
      [['--memory-limit', '1.5G'], /--memory-limit must be a size such as 512M/],
      [['--process-limit=-3'], /--process-limit must be a whole number >= 0/],
    ] as const) {
      const bad = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
      children.add(bad);
      let err = '';
      bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
      assert.equal(await new Promise<number | null>((resolve) => bad.on('exit', resolve)), 2);
      assert.match(err, message);
    }

    const run = await startCli(['--memory-limit', '64M', '--disk-limit', '16MiB', '--process-limit', '32', '--cpu-limit', '5']);
    assert.match(run.stdout(), /Limits: +memory 64 MiB \([^)]+\), disk 16 MiB \([^)]+\), processes 32 \([^)]+\), CPU 5 s per process \([^)]+\) +\(per session\)/);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  it('announces the limits it cannot enforce per session (as an unprivileged user: no cgroups, no mounts)', async function () {
    // Needs root to drop to `nobody`; elsewhere the suite already runs as an unprivileged user.
    if (process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv')) this.skip();
    const child = spawn('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, '--port', '0', '--quiet', '--isolation', 'process'], {
      env: { ...process.env, AGENTBAY_LOCAL_API_KEY: '', HOME: '/tmp' },
      stdio: 'pipe',
    });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(() => out.includes('Press Ctrl+C') || child.exitCode !== null, 15000, () => `the CLI to start: ${out}\n${err}`);
    assert.match(out, /Limits: +memory 1 GiB \(RLIMIT_AS per process\), disk 1 GiB \(file tools \+ RLIMIT_FSIZE\), processes 256 \(RLIMIT_NPROC per user\)/, `${out}\n${err}`);
    assert.match(out, /Note: +limits weaker than per session: memory is capped per process as address space/);
    assert.match(out, /processes are limited per user by RLIMIT_NPROC, shared by all sessions/);
    assert.match(out, /^ +runs as the session's command user \(the server does not run as root, so it cannot switch users\)$/m);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('takes the browsers\' ids as --browser-uids, refuses a bad range, and as root says each browser runs as its own user', async function () {
    for (const value of ['12-5', '1999000000', '0-100']) {
      const bad = spawn(process.execPath, [CLI, '--browser-uids', value], { stdio: 'pipe' });
      children.add(bad);
      let err = '';
      bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
      assert.equal(await new Promise<number | null>((resolve) => bad.on('exit', resolve)), 2, value);
      assert.match(err, /--browser-uids must be <first>-<last>, two ids from 1000 to 2147483646, first < last/);
    }
    // The user switch needs root (and user namespaces); the unprivileged banner is checked above.
    if (process.getuid?.() !== 0) this.skip();
    const run = await startCli(['--no-tls', '--browser-uids', '1999600000-1999600009']);
    assert.match(run.stdout(), /^ +runs as its own user per session \(uids 1999600001-1999600009, gid 1999600000\)$/m);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  it('keeps deleted sessions queryable for --deleted-retention seconds, and refuses a bad value', async () => {
    const bad = spawn(process.execPath, [CLI, '--deleted-retention=-1'], { stdio: 'pipe' });
    children.add(bad);
    let err = '';
    bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
    assert.equal(await new Promise<number | null>((resolve) => bad.on('exit', resolve)), 2);
    assert.match(err, /--deleted-retention must be a number of seconds from 0 to 86400/);

    // The status a deleted session ends with, as the SDK's delete() polls it.
    const finalStatus = async (args: string[]): Promise<string> => {
      const run = await startCli(['--no-tls', ...args]);
      try {
        const created = await rpc(run.url, run.key, 'CreateMcpSession', {});
        const sessionId = String((created.Data as Record<string, unknown>).SessionId);
        await rpc(run.url, run.key, 'DeleteSessionAsync', { SessionId: sessionId });
        return await waitFor(
          async () => {
            const detail = await rpc(run.url, run.key, 'GetSessionDetail', { SessionId: sessionId });
            const status = detail.Success === true ? String((detail.Data as Record<string, unknown>).Status) : String(detail.Code);
            return status !== 'DELETING' && status;
          },
          15000,
          'the deleted session to leave DELETING',
          50,
        );
      } finally {
        run.child.kill('SIGTERM');
        await run.exited;
      }
    };
    assert.equal(await finalStatus([]), 'FINISH');
    assert.equal(await finalStatus(['--deleted-retention', '0']), 'InvalidMcpSession.NotFound');
  });

  it('recognises loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.equal(isLoopback(host), true, host);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) assert.equal(isLoopback(host), false, host);
  });
});
