import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWorkspaceFactory } from '../../../local-server/sandbox';
import { errText, harness, json, livePidsWith, MODES, okText, uniqueSleep, type Harness, type ShellOut } from '../../support/sandbox';
import { toolCatalogue } from '../../../local-server/tools/catalogue';
import { sleep, waitFor } from '../../support/wait';

describe('workspace factory', function () {
  it('auto picks bubblewrap on this machine (bwrap works here) with an empty note', async () => {
    const baseDir = mkdtempSync(path.join(os.tmpdir(), 'agentbay-sbx-factory-'));
    try {
      const f = await createWorkspaceFactory({ baseDir, catalogue: toolCatalogue });
      assert.equal(f.isolation, 'bubblewrap');
      assert.equal(f.isolationNote, '');
      await f.close?.();
    } finally {
      rmSync(baseDir, { recursive: true, force: true });
    }
  });

  it('process mode says why it is weaker', async () => {
    const baseDir = mkdtempSync(path.join(os.tmpdir(), 'agentbay-sbx-factory-'));
    try {
      const f = await createWorkspaceFactory({ baseDir, catalogue: toolCatalogue, isolation: 'process' });
      assert.equal(f.isolation, 'process');
      assert.match(f.isolationNote, /without filesystem or network isolation/);
      const ws = await f.create('abc');
      assert.equal(ws.isolation, 'process');
      assert.ok(statSync(path.join(baseDir, 'abc/home/wuying')).isDirectory());
      assert.ok(statSync(path.join(baseDir, 'abc/tmp')).isDirectory());
      await assert.rejects(f.create('abc'), /already exists/);
      await assert.rejects(f.create('../evil'), /Invalid session id/);
      await ws.destroy();
      await f.close?.();
    } finally {
      rmSync(baseDir, { recursive: true, force: true });
    }
  });
});

for (const mode of MODES) {
  describe(`session lifecycle (${mode})`, function () {
    let h: Harness;
    beforeEach(async () => {
      h = await harness(mode);
    });
    afterEach(async () => h.cleanup());

    it('pause freezes running commands and refuses calls; resume continues them', async () => {
      const counter = path.join(h.ws.rootDir, 'tmp/count');
      const pending = h.ws.callTool('shell', {
        command: 'for i in $(seq 1 20); do echo $i >> count; sleep 0.05; done; echo done',
        timeout_ms: 2500,
        cwd: '/tmp',
      });
      await sleep(400);
      await h.ws.pause();
      const size1 = existsSync(counter) ? readFileSync(counter).length : -1;
      await sleep(2000);
      const size2 = existsSync(counter) ? readFileSync(counter).length : -1;
      assert.equal(size2, size1, 'no progress while paused');
      assert.equal(errText(await h.ws.callTool('list_directory', { path: '/tmp' })), 'Session is paused');
      await h.ws.resume();
      // ~1.1 s of work + 2 s paused would exceed 2500 ms: paused time must not count.
      const out = json<ShellOut>(okText(await pending));
      assert.equal(out.stdout, 'done\n');
      assert.equal(readFileSync(counter, 'utf8').trim().split('\n').length, 20);
      okText(await h.ws.callTool('list_directory', { path: '/tmp' }));
    });

    it('a resume issued while a pause is still signalling never leaves a command stopped', async () => {
      // The resume race: pause and resume called back to back, the second not waiting for the first.
      // Unordered, a pause's SIGSTOP could land after the resume's SIGCONT and the command would
      // hang until its timeout; in order, it runs to the end.
      const pending = h.ws.callTool('shell', {
        command: 'for i in $(seq 1 30); do echo $i >> count; sleep 0.05; done; echo done',
        timeout_ms: 8000,
        cwd: '/tmp',
      });
      await sleep(300);
      for (let cycle = 0; cycle < 5; cycle++) await Promise.all([h.ws.pause(), h.ws.resume()]);
      const out = json<ShellOut>(okText(await pending));
      assert.equal(out.stdout, 'done\n');
    });

    it('destroy kills running commands, removes the directory, is idempotent, and later calls fail', async () => {
      const s = uniqueSleep();
      okText(await h.ws.callTool('write_file', { path: 'f.txt', content: 'x' }));
      const pending = h.ws.callTool('shell', { command: `sleep ${s}`, timeout_ms: 20000 });
      await waitFor(() => livePidsWith(s).length > 0, 5000, 'the sleeper to run before destroy');
      await Promise.all([h.ws.destroy(), h.ws.destroy()]);
      assert.equal(existsSync(h.ws.rootDir), false);
      assert.deepEqual(livePidsWith(s), []);
      assert.equal(errText(await pending), 'Session has been deleted');
      assert.equal(errText(await h.ws.callTool('list_directory', { path: '.' })), 'Session has been deleted');
      await h.ws.destroy();
    });

    it('destroy also kills a paused session', async () => {
      const s = uniqueSleep();
      const pending = h.ws.callTool('shell', { command: `sleep ${s}`, timeout_ms: 20000 });
      await waitFor(() => livePidsWith(s).length > 0, 5000, 'the sleeper to run');
      await h.ws.pause();
      await h.ws.destroy();
      assert.deepEqual(livePidsWith(s), []);
      assert.equal(errText(await pending), 'Session has been deleted');
    });
  });
}
