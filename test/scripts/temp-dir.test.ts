/**
 * `npm start` keeps its sessions in a temp directory that must not outlive it, however it ends:
 * Ctrl-C, kill, a closed terminal, or the reader of its output going away (`npm start | tee log`,
 * then Ctrl-C kills tee first and the next log line fails with EPIPE).
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import { killLeftovers, runStart, TEST_KEY, waitForOutput, type Running } from '../support/scripts';

const READY = 'Ctrl-C stops everything.';

/** Starts `npm start`, makes a session (so the directory has content) and returns the directory. */
async function started(): Promise<{ start: Running; dataDir: string; editorUrl: string }> {
  const start = runStart();
  await waitForOutput(start, READY);
  const dataDir = /Session files: (\S+)/.exec(start.stdout())?.[1] ?? '';
  const serverUrl = /Local AgentBay server: (\S+)/.exec(start.stdout())?.[1] ?? '';
  const editorUrl = /Node-RED editor:\s+(\S+)/.exec(start.stdout())?.[1] ?? '';
  assert.ok(dataDir && existsSync(dataDir), `the banner names an existing session directory: ${start.stdout()}`);
  const created = await post(`${serverUrl}/?Action=CreateMcpSession`, { 'content-type': 'application/x-www-form-urlencoded' }, `Authorization=${encodeURIComponent(`Bearer ${TEST_KEY}`)}`);
  assert.match(created, /"Success":true/);
  return { start, dataDir, editorUrl };
}

function post(url: string, headers: Record<string, string>, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers, agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve(text));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('first hour: npm start removes its temp directory', function () {
  this.timeout(120000);
  afterEach(killLeftovers);

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`on ${signal}, exiting 0`, async () => {
      const { start, dataDir } = await started();
      start.child.kill(signal);
      const { code } = await start.exited;
      assert.equal(code, 0, start.stderr());
      assert.equal(existsSync(dataDir), false, `${dataDir} is gone`);
    });
  }

  it('when the reader of its output goes away and Ctrl-C follows (a piped npm start)', async () => {
    const { start, dataDir } = await started();
    start.child.stdout?.destroy(); // tee died first
    start.child.kill('SIGINT'); // stopping logs "Stopping flows": EPIPE
    const { code } = await start.exited;
    assert.equal(code, 0, start.stderr());
    assert.equal(existsSync(dataDir), false, `${dataDir} is gone`);
  });

  it('when the reader of its output goes away and the next log line fails with EPIPE (no signal)', async () => {
    const { start, dataDir, editorUrl } = await started();
    start.child.stdout?.destroy();
    // A redeploy from the editor makes Node-RED log "Stopping flows" on the closed pipe.
    // It may stop before answering, so the request itself can fail.
    await post(`${editorUrl}flows`, { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'reload' }, '{}').catch(() => '');
    const { code } = await start.exited;
    assert.equal(code, 0, start.stderr());
    assert.equal(existsSync(dataDir), false, `${dataDir} is gone`);
  });
});
