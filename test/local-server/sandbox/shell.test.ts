import assert from 'node:assert/strict';
import { errText, harness, json, livePidsWith, MODES, okText, shell, uniqueSleep, warmUpCommandHost, type Harness, type ShellOut } from '../../support/sandbox';
import { waitFor } from '../../support/wait';

for (const mode of MODES) {
  describe(`shell tool (${mode})`, function () {
    let h: Harness;
    before(async () => {
      h = await harness(mode);
    });
    after(async () => h.cleanup());

    it('returns stdout, stderr and the exit code as JSON', async () => {
      const out = await shell(h.ws, 'echo out; echo err >&2; exit 7');
      assert.deepEqual(out, { stdout: 'out\n', stderr: 'err\n', exit_code: 7 });
    });

    it('runs in /home/wuying with HOME set', async () => {
      const out = await shell(h.ws, 'pwd; echo "$HOME"');
      const [pwd, home] = out.stdout.trim().split('\n');
      assert.equal(pwd, home);
      assert.ok(pwd!.endsWith('/home/wuying'), pwd);
      if (mode === 'bubblewrap') assert.equal(pwd, '/home/wuying');
    });

    it('passes envs and honours a virtual cwd', async () => {
      okText(await h.ws.callTool('create_directory', { path: '/tmp/work dir' }));
      const out = await shell(h.ws, 'echo "$FOO-$BAR"; basename "$(pwd)"', { envs: { FOO: 'a b', BAR: '2' }, cwd: '/tmp/work dir' });
      assert.equal(out.stdout, 'a b-2\nwork dir\n');
    });

    it('does not leak the server environment into commands', async () => {
      process.env.AGENTBAY_TEST_SECRET = 'leaky';
      try {
        const out = await shell(h.ws, 'echo "[$AGENTBAY_TEST_SECRET]"');
        assert.equal(out.stdout, '[]\n');
      } finally {
        delete process.env.AGENTBAY_TEST_SECRET;
      }
    });

    it('rejects non-string env values and bad names, naming the field', async () => {
      assert.match(errText(await h.ws.callTool('shell', { command: 'true', envs: { N: 1 } })), /'envs\.N' must be string/);
      assert.match(errText(await h.ws.callTool('shell', { command: 'true', envs: { 'A=B': 'x' } })), /envs/);
      assert.match(errText(await h.ws.callTool('shell', { timeout_ms: 5 })), /missing required field 'command'/);
    });

    it('reports a missing cwd', async () => {
      assert.equal(errText(await h.ws.callTool('shell', { command: 'pwd', cwd: 'nope' })), 'No such file or directory: /home/wuying/nope');
    });

    it('kills the whole process tree on timeout (including backgrounded and setsid children)', async () => {
      const s = uniqueSleep();
      const started = Date.now();
      const r = await h.ws.callTool('shell', {
        command: `sleep ${s} & (sleep ${s}; true) & setsid sleep ${s} & echo begun; sleep ${s}`,
        timeout_ms: 700,
      });
      const body = json<ShellOut>(errText(r));
      assert.equal(body.errorCode, 124);
      assert.equal(body.traceId, '');
      assert.equal(body.stdout, 'begun\n');
      assert.match(body.stderr, /timed out after 700 ms/);
      assert.ok(Date.now() - started < 5000, 'the call returned promptly');
      assert.deepEqual(livePidsWith(s), []);
    });

    it('kills what a command leaves running when it exits normally', async () => {
      const s = uniqueSleep();
      const out = await shell(h.ws, `sleep ${s} & setsid sleep ${s} & echo left`);
      assert.equal(out.stdout, 'left\n');
      assert.deepEqual(livePidsWith(s), []);
    });

    it('caps timeout_ms at 50000 and accepts a fractional value', async () => {
      const out = await shell(h.ws, 'echo fine', { timeout_ms: 10_000_000.5 });
      assert.equal(out.exit_code, 0);
    });

    it('cancels the command when the abort signal fires', async () => {
      const s = uniqueSleep();
      const ac = new AbortController();
      const pending = h.ws.callTool('shell', { command: `sleep ${s}`, timeout_ms: 20000 }, ac.signal);
      await waitFor(() => livePidsWith(s).length > 0, 5000, 'the command to run');
      ac.abort();
      const body = json<ShellOut>(errText(await pending));
      assert.match(body.stderr, /cancelled/);
      assert.deepEqual(livePidsWith(s), []);
    });
  });
}

describe('shell tool isolation (bubblewrap)', function () {
  let h: Harness;
  before(async () => {
    h = await harness('bubblewrap');
  });
  after(async () => h.cleanup());

  it('sees a read-only /usr, a minimal /etc, no network and no host processes', async () => {
    const out = await shell(h.ws, [
      'touch /usr/x 2>/dev/null && echo usr-writable || echo usr-ro',
      'test -e /etc/shadow && echo shadow || echo no-shadow',
      'test -e /work && echo work || echo no-work',
      'cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d " " | tr "\\n" ","',
      'echo; ls /proc | grep -c "^[0-9]"',
    ].join('; '));
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines[0], 'usr-ro');
    assert.equal(lines[1], 'no-shadow');
    assert.equal(lines[2], 'no-work');
    assert.equal(lines[3], 'lo,', 'only loopback in the network namespace');
    assert.ok(Number(lines[4]) < 10, `few processes visible: ${lines[4]}`);
  });

  it('caps stdout at 10 MB with a note', async () => {
    const out = await shell(h.ws, 'head -c 11000000 /dev/zero | tr "\\0" a; echo done >&2');
    assert.equal(out.stdout.length, 10 * 1024 * 1024 + '\n[output truncated: limit of 10 MB reached]'.length);
    assert.ok(out.stdout.endsWith('a\n[output truncated: limit of 10 MB reached]'));
    assert.equal(out.stderr, 'done\n');
  });

  it('kills what a command leaves running even when it cleared its environment and left its group', async () => {
    // The session's commands share one sandbox (its command host): no marker and no process group
    // lead to this one, so only the host's sweep of processes that belong to no running command can.
    await warmUpCommandHost(h.ws);
    const s = uniqueSleep();
    const out = await shell(h.ws, [
      `env -i setsid /bin/sh -c 'echo started > /tmp/escaped; exec sleep ${s}' &`,
      'while [ ! -s /tmp/escaped ]; do sleep 0.01; done',
      'echo left',
    ].join('\n'));
    assert.equal(out.stdout, 'left\n');
    assert.deepEqual(livePidsWith(s), []);
  });

  it('a command running beside another keeps running when that one exits', async () => {
    await warmUpCommandHost(h.ws);
    const s = uniqueSleep();
    const long = h.ws.callTool('shell', { command: `env -i /bin/sh -c 'sleep ${s}' & wait; echo survived`, timeout_ms: 20000 });
    await waitFor(() => livePidsWith(s).length > 0, 5000, 'the long command to start');
    await shell(h.ws, 'echo short');
    assert.ok(livePidsWith(s).length > 0, 'the long command\'s child is still running');
    await shell(h.ws, `pkill -f '^sleep ${s}$'`);
    const body = json<ShellOut>(okText(await long));
    assert.equal(body.stdout, 'survived\n');
  });

  it('shares /home/wuying and /tmp between commands of the same session only', async () => {
    await shell(h.ws, 'echo one > /tmp/shared && echo two > ~/mine');
    const out = await shell(h.ws, 'cat /tmp/shared ~/mine');
    assert.equal(out.stdout, 'one\ntwo\n');
    const other = await h.factory.create(`other-${process.pid}`);
    try {
      const r = json<ShellOut>(okText(await other.callTool('shell', { command: 'cat /tmp/shared', timeout_ms: 5000 })));
      assert.notEqual(r.exit_code, 0);
    } finally {
      await other.destroy();
    }
  });
});
