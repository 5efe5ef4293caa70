import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { CommandHost } from '../../../local-server/sandbox/command-host';
import type { KernelExit, KernelProcess } from '../../../local-server/sandbox/kernel-process';
import { harness, json, shell, warmUpCommandHost, type Harness, type ShellOut } from '../../support/sandbox';

/** The session's command host (local-server/sandbox/command-host.ts): its loss and its protocol's bounds. */
describe('command host (bubblewrap)', function () {
  let h: Harness;
  before(async () => {
    h = await harness('bubblewrap');
  });
  beforeEach(async () => warmUpCommandHost(h.ws));
  after(async () => h.cleanup());

  it('gives the first command of a session a sandbox of its own, and no host', async () => {
    const fresh = await harness('bubblewrap');
    try {
      const first = await shell(fresh.ws, 'echo $$');
      assert.equal(first.stdout, '1\n', 'the command is pid 1 of its own sandbox');
    } finally {
      await fresh.cleanup();
    }
  });

  it('runs the commands of one session in one sandbox, each in its own process group', async () => {
    const first = await shell(h.ws, 'echo $PPID; ps -o pgid= -p $$');
    const second = await shell(h.ws, 'echo $PPID; ps -o pgid= -p $$');
    const [hostA, groupA] = first.stdout.trim().split('\n').map((line) => line.trim());
    const [hostB, groupB] = second.stdout.trim().split('\n').map((line) => line.trim());
    assert.equal(hostA, hostB, 'the same host started both');
    assert.notEqual(groupA, groupB);
  });

  it('a command that kills the host is reported killed, and the next command gets a new host', async () => {
    const killed = await h.ws.callTool('shell', { command: 'kill -9 $PPID; sleep 5', timeout_ms: 20000 });
    const body = json<ShellOut & { errorCode?: number; exit_code?: number }>(killed.content[0]!.text);
    assert.equal(body.exit_code ?? body.errorCode, 137);
    const next = await shell(h.ws, 'echo again');
    assert.equal(next.stdout, 'again\n');
  });

});

/**
 * The server's reading of a host's output is hostile-input code (a session's processes run beside the
 * host). A host that cannot be made to misbehave from inside its sandbox is driven here by a stand-in
 * that writes what a broken host would.
 */
describe('command host protocol bounds', function () {
  function standIn(): { process: KernelProcess; stdout: PassThrough; killed: () => boolean } {
    const stdout = new PassThrough();
    let killed = false;
    let exit: (value: KernelExit) => void = () => undefined;
    const exited = new Promise<KernelExit>((resolve) => {
      exit = resolve;
    });
    const process: KernelProcess = {
      stdout, stderr: new PassThrough(), stdin: new PassThrough(), control: undefined, exited, paused: false,
      interrupt: async () => undefined,
      kill: async () => {
        killed = true;
        exit({ exitCode: 137 });
      },
      markExecution: async () => undefined,
      onPauseChange: () => () => undefined,
    };
    return { process, stdout, killed: () => killed };
  }
  const request = { argv: ['/bin/true'], cwd: '/', env: {}, timeoutMs: 10_000, runMarker: 'AGENTBAY_SANDBOX_RUN=test' };

  it('a line that is not JSON ends the host; its runs are reported killed', async () => {
    const fake = standIn();
    const host = new CommandHost(fake.process);
    fake.stdout.write('{"t":"ready"}\n');
    assert.equal(await host.ready, true);
    const run = host.run(request);
    fake.stdout.write('not json\n');
    const outcome = await run.done;
    assert.equal(outcome.exitCode, 137);
    assert.equal(host.usable, false);
    assert.equal(fake.killed(), true);
  });

  it('a line longer than the bound ends the host', async () => {
    const fake = standIn();
    const host = new CommandHost(fake.process);
    const run = host.run(request);
    fake.stdout.write('{"t":"out","id":1,"fd":1,"data":"' + 'A'.repeat(2 * 1024 * 1024));
    assert.equal((await run.done).exitCode, 137);
    assert.equal(fake.killed(), true);
  });

  it('messages for unknown runs, bad fds and odd shapes are ignored; output is capped', async () => {
    const fake = standIn();
    const host = new CommandHost(fake.process);
    const run = host.run({ ...request, maxOutputBytes: 4 });
    fake.stdout.write('{"t":"out","id":99,"fd":1,"data":"eHg="}\n{"t":"out","id":1,"fd":7,"data":"eHg="}\n[1]\nnull\n{"__proto__":{"t":"exit"},"id":1}\n');
    fake.stdout.write('{"t":"out","id":1,"fd":1,"data":"' + Buffer.from('abcdef').toString('base64') + '"}\n');
    fake.stdout.write('{"t":"exit","id":1,"code":3,"signal":null,"truncated":[false,false,false]}\n');
    const outcome = await run.done;
    assert.equal(outcome.stdout, 'abcd');
    assert.equal(outcome.stdoutTruncated, true);
    assert.equal(outcome.exitCode, 3);
    assert.equal(host.usable, true);
  });
});
