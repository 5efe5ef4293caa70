/**
 * `agentbay-local` removes the temp data dir it made on every way out: SIGINT, SIGTERM, SIGHUP (a closed
 * terminal), and a closed output pipe (`agentbay-local | tee log` with tee gone: the next log line fails
 * with EPIPE), as `npm start` does, through the same local-server/shutdown.ts.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { waitFor } from '../support/wait';

const CLI = path.resolve(__dirname, '../../local-server/cli.js');
const children = new Set<ChildProcess>();

interface Running {
  child: ChildProcess;
  url: string;
  key: string;
  dataDir: string;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** Starts the CLI on a free port with a temp data dir, logging every request to stdout. */
async function startCli(): Promise<Running> {
  const child = spawn(process.execPath, [CLI, '--port', '0'], { env: { ...process.env, AGENTBAY_LOCAL_API_KEY: '' }, stdio: 'pipe' });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor(() => out.includes('Press Ctrl+C') || child.exitCode !== null, 15000, 'the CLI banner');
  const field = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(out)?.[1] ?? '';
  return { child, url: field('URL'), key: field('API key'), dataDir: field('Data dir'), exited, stderr: () => err };
}

function createSession(run: Running): Promise<string> {
  const body = new URLSearchParams({ Authorization: `Bearer ${run.key}` }).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${run.url}/?Action=CreateMcpSession`,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, agent: false },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('agentbay-local: the temp data dir goes on every way out', function () {
  this.timeout(60000);
  after(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`on ${signal}, exiting 0`, async () => {
      const run = await startCli();
      assert.match(await createSession(run), /"Success":true/);
      assert.ok(readdirSync(run.dataDir).length > 0, 'the data dir has content');
      run.child.kill(signal);
      assert.equal(await run.exited, 0, run.stderr());
      assert.equal(existsSync(run.dataDir), false, `${run.dataDir} is gone`);
    });
  }

  it('when the reader of its output goes away and the next log line fails with EPIPE', async () => {
    const run = await startCli();
    assert.ok(existsSync(run.dataDir));
    run.child.stdout?.destroy();
    // The request is logged to the closed pipe; the server may stop before answering.
    await createSession(run).catch(() => '');
    assert.equal(await run.exited, 0, run.stderr());
    assert.equal(existsSync(run.dataDir), false, `${run.dataDir} is gone`);
  });
});
