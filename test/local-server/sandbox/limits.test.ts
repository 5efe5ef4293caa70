/**
 * Per-session limits on the real sandbox, with small limits so the tests stay quick: memory,
 * process count, disk (shell and write_file) and CPU time, in both isolation modes, plus the
 * fallback without cgroups and tmpfs and what the server announces about it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorkspaceFactory } from '../../../local-server/sandbox';
import { resolveLimits, parseSize, formatBytes } from '../../../local-server/sandbox/limits';
import { startLocalServer } from '../../../local-server/server';
import { call, createSession } from '../../support/local-server-wire';
import { errText, harness, json, livePidsWith, MODES, okText, shell, type Harness, type ShellOut } from '../../support/sandbox';
import { toolCatalogue } from '../../../local-server/tools/catalogue';

const MiB = 1024 * 1024;
const SMALL = { memoryBytes: 64 * MiB, diskBytes: 16 * MiB, processes: 32, cpuSeconds: 1 };

/** A failed command's JSON (`{stdout, stderr, errorCode}`), asserting the call is an error. */
async function failedShell(h: Harness, command: string): Promise<ShellOut> {
  return json<ShellOut>(errText(await h.ws.callTool('shell', { command, timeout_ms: 20000 })));
}

/** Python that forks up to `count` sleeping children, stopping at the first refused fork. */
function forkLoop(count: number, marker: string): string {
  return [
    'import os, time',
    `marker = "${marker}"`,
    'made = 0',
    `for i in range(${count}):`,
    '    try:',
    '        pid = os.fork()',
    '    except OSError as e:',
    '        print("refused after", made, e.errno)',
    '        break',
    '    if pid == 0:',
    '        time.sleep(60)',
    '        os._exit(0)',
    '    made += 1',
    'print("made", made)',
  ].join('\n');
}

const uniqueMarker = (): string => `agentbay-limit-test-${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

for (const mode of MODES) {
  describe(`session limits (${mode})`, function () {
    let h: Harness;
    before(async () => {
      h = await harness(mode, { limits: SMALL });
    });
    after(async () => h.cleanup());

    it('enforces every limit per session on this machine (cgroups and a tmpfs per session)', () => {
      // The lab machine runs the server as root with writable cgroups: nothing is weaker.
      assert.equal(h.factory.limitsNote, '');
      assert.match(h.factory.limitsSummary ?? '', /memory 64 MiB \(cgroup v\d\), disk 16 MiB \(tmpfs per session\), processes 32 \(cgroup v\d\), CPU 1 s per process \(RLIMIT_CPU\)/);
    });

    it('stops a command that allocates more memory than the limit, and another session still answers', async () => {
      const body = await failedShell(h, 'python3 -c "x = bytearray(256 * 1024 * 1024); print(len(x))"');
      assert.equal(body.stdout, '');
      assert.match(body.stderr, /The session hit its memory limit \(64 MiB\)/);
      assert.notEqual(body.errorCode, 0);
      const other = await h.factory.create(`limits-other-${process.pid}-${mode}`);
      try {
        assert.equal(json<ShellOut>(okText(await other.callTool('shell', { command: 'echo alive' }))).stdout, 'alive\n');
      } finally {
        await other.destroy();
      }
      // The session itself is still usable once the greedy process is gone.
      assert.equal((await shell(h.ws, 'echo still here')).stdout, 'still here\n');
    });

    it('reports the memory limit from run_code as the execution error', async () => {
      const out = json<{ executionError: string }>(okText(await h.ws.callTool('run_code', { code: 'x = bytearray(256 * 1024 * 1024)', language: 'python' })));
      assert.match(out.executionError, /^ResourceLimitError: The session hit its memory limit \(64 MiB\)/);
    });

    it('stops a fork bomb at the process limit and leaves no process behind', async () => {
      const marker = uniqueMarker();
      const body = await failedShell(h, `python3 -c '${forkLoop(500, marker)}'`);
      const refused = /refused after (\d+) 11/.exec(body.stdout);
      assert.ok(refused, body.stdout);
      assert.ok(Number(refused[1]) < 32, `at most the limit was started: ${refused[1]}`);
      assert.match(body.stderr, /The session hit its process limit \(32 processes\)/);
      assert.deepEqual(livePidsWith(marker), []);
      assert.equal((await shell(h.ws, 'echo after the bomb')).stdout, 'after the bomb\n');
    });

    it('refuses writes past the disk limit from a command, counting /home/wuying and /tmp together', async () => {
      await shell(h.ws, 'head -c 10M /dev/zero > "$HOME/ten"');
      const body = await failedShell(h, 'head -c 10M /dev/zero > "$TMPDIR/more"');
      assert.match(body.stderr, /No space left on device/);
      assert.match(body.stderr, /The session hit its disk limit \(16 MiB for \/home\/wuying and \/tmp together\)/);
      const more = statSync(path.join(h.ws.rootDir, 'tmp', 'more')).size;
      assert.ok(more < 7 * MiB, `only what fitted was written: ${more}`);
      await shell(h.ws, 'rm -f "$HOME/ten" "$TMPDIR/more"');
    });

    it('refuses a write_file past the disk limit and leaves the existing file as it was', async () => {
      okText(await h.ws.callTool('write_file', { path: '/tmp/keep.txt', content: 'original' }));
      const big = 'x'.repeat(20 * MiB);
      const message = errText(await h.ws.callTool('write_file', { path: '/tmp/keep.txt', content: big }));
      assert.equal(message, 'No space left on device: /tmp/keep.txt. The session hit its disk limit (16 MiB for /home/wuying and /tmp together)');
      assert.equal(okText(await h.ws.callTool('read_file', { path: '/tmp/keep.txt' })), 'original');
      // What fits is still written.
      okText(await h.ws.callTool('write_file', { path: '/tmp/fits.txt', content: 'y'.repeat(4 * MiB) }));
      okText(await h.ws.callTool('delete_file', { path: '/tmp/fits.txt' }));
    });

    it('kills a busy loop at the CPU time limit', async () => {
      const body = await failedShell(h, 'while :; do :; done');
      assert.match(body.stderr, /The command hit its CPU time limit \(1 s per process\) and was killed/);
      assert.doesNotMatch(body.stderr, /timed out/);
    });
  });
}

describe('session limits without cgroups or a tmpfs (rlimits and server-side checks)', function () {
  let h: Harness;
  before(async () => {
    h = await harness('process', { limits: SMALL, limitMechanisms: { cgroups: false, tmpfsMount: false } });
  });
  after(async () => h.cleanup());

  it('announces which limits are weaker than per session', () => {
    const note = h.factory.limitsNote ?? '';
    assert.match(note, /^limits weaker than per session: /);
    assert.match(note, /memory is capped per process as address space \(RLIMIT_AS\)/);
    assert.match(note, /disk is checked by the file tools only; commands are capped per file \(RLIMIT_FSIZE\)/);
    if (process.getuid?.() === 0) assert.match(note, /processes are not limited \(no usable pids cgroup; root ignores RLIMIT_NPROC\)/);
    else assert.match(note, /processes are limited per user by RLIMIT_NPROC, shared by all sessions/);
    assert.doesNotMatch(note, /CPU/);
  });

  it('still stops a large allocation (address-space limit per process)', async () => {
    const body = await failedShell(h, 'python3 -c "x = bytearray(256 * 1024 * 1024)"');
    assert.match(body.stderr, /MemoryError/);
    assert.match(body.stderr, /The session hit its memory limit \(64 MiB of address space per process\)/);
  });

  it('caps a single file a command writes, and write_file checks the whole session', async () => {
    const body = await failedShell(h, 'head -c 20M /dev/zero > "$TMPDIR/big"');
    assert.match(body.stderr, /The session hit its disk limit/);
    assert.ok(statSync(path.join(h.ws.rootDir, 'tmp', 'big')).size <= 16 * MiB);
    // 16 MiB are now used: the server's own write refuses to add more.
    const message = errText(await h.ws.callTool('write_file', { path: 'more.txt', content: 'z'.repeat(2 * MiB) }));
    assert.match(message, /^No space left on device: \/home\/wuying\/more\.txt\. The session hit its disk limit \(16 MiB/);
    await shell(h.ws, 'rm -f "$TMPDIR/big"');
    okText(await h.ws.callTool('write_file', { path: 'more.txt', content: 'z'.repeat(2 * MiB) }));
  });

  it('still kills a busy loop at the CPU time limit', async () => {
    const body = await failedShell(h, 'while :; do :; done');
    assert.match(body.stderr, /CPU time limit \(1 s per process\)/);
  });
});

describe('session limits: configuration', () => {
  it('fills in defaults and refuses invalid values, naming the field', () => {
    assert.deepEqual(resolveLimits(undefined), { memoryBytes: 1024 * MiB, diskBytes: 1024 * MiB, processes: 256, cpuSeconds: 600 });
    assert.deepEqual(resolveLimits({ processes: 0 }).processes, 0);
    assert.throws(() => resolveLimits({ memoryBytes: -1 }), /Invalid session limit 'memoryBytes': expected a whole number >= 0/);
    assert.throws(() => resolveLimits({ cpuSeconds: 1.5 }), /'cpuSeconds'/);
  });

  it('parses and prints sizes with binary units', () => {
    assert.equal(parseSize('64M'), 64 * MiB);
    assert.equal(parseSize('1GiB'), 1024 * MiB);
    assert.equal(parseSize('2g'), 2048 * MiB);
    assert.equal(parseSize('4096'), 4096);
    assert.equal(parseSize('1.5G'), null);
    assert.equal(parseSize('-1M'), null);
    assert.equal(formatBytes(64 * MiB), '64 MiB');
    assert.equal(formatBytes(1024 * MiB), '1 GiB');
  });

  it('startLocalServer passes the limits to every session and reports them', async () => {
    const server = await startLocalServer({ port: 0, isolation: 'process', limits: { memoryBytes: 32 * MiB, processes: 16 }, limitMechanisms: { tmpfsMount: false } });
    try {
      assert.match(server.limitsSummary, /memory 32 MiB .*disk 1 GiB .*processes 16 .*CPU 600 s per process/);
      assert.match(server.limitsNote, /disk is checked by the file tools only/);
      const id = await createSession(server);
      const res = await call(server, 'CallMcpTool', {
        SessionId: id, Name: 'shell', Server: '', AutoGenSession: 'false',
        Args: JSON.stringify({ command: 'python3 -c "x = bytearray(128 * 1024 * 1024)"', timeout_ms: 20000 }),
      });
      const data = res.body.Data as { content: { text: string }[]; isError: boolean };
      assert.equal(data.isError, true);
      assert.match(data.content[0]!.text, /memory limit \(32 MiB\)/);
      // The server, and another session, keep answering.
      const other = await createSession(server);
      const echo = await call(server, 'CallMcpTool', {
        SessionId: other, Name: 'shell', Server: '', AutoGenSession: 'false', Args: JSON.stringify({ command: 'echo fine' }),
      });
      assert.match((echo.body.Data as { content: { text: string }[] }).content[0]!.text, /"stdout":"fine\\n"/);
    } finally {
      await server.close();
    }
  });

  it('leaves no cgroup and no mount behind when the session and the factory close', async () => {
    const baseDir = mkdtempSync(path.join(os.tmpdir(), 'agentbay-limits-'));
    const factory = await createWorkspaceFactory({ baseDir, catalogue: toolCatalogue, isolation: 'process', limits: SMALL });
    const ws = await factory.create('cgroup-check');
    const own = /^\d+:pids:(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'));
    const parent = path.join('/sys/fs/cgroup/pids', own?.[1] ?? '/');
    const ours = (): string[] => readdirSync(parent).filter((n) => n.startsWith(`agentbay-${process.pid}-`));
    assert.equal(ours().length, 1, 'the server-wide group exists while the factory is open');
    assert.ok(readFileSync('/proc/mounts', 'utf8').includes(ws.rootDir), 'the session has its own tmpfs');
    await ws.destroy();
    await factory.close?.();
    assert.deepEqual(ours(), []);
    assert.equal(readFileSync('/proc/mounts', 'utf8').includes(ws.rootDir), false);
    assert.equal(existsSync(ws.rootDir), false);
    rmSync(baseDir, { recursive: true, force: true });
  });
});
