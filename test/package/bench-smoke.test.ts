/**
 * The benchmark harness keeps working: `npm run bench -- --smoke` (tiny counts) runs every section
 * against a real local server and prints every figure. Nothing about times is asserted.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const packageRoot = path.join(__dirname, '..', '..', '..');

describe('npm run bench -- --smoke', function () {
  this.timeout(120_000);

  it('runs every section and prints each figure', async () => {
    const env = { ...process.env };
    delete env.AGENTBAY_SDK_PATH;
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', path.join(packageRoot, 'dist', 'bench', 'run.js'), '--smoke'], {
      cwd: packageRoot,
      env,
      timeout: 110_000,
    });
    for (const figure of [
      'client.call GetSession ÷ raw',
      'Concurrency 1 ÷ Concurrency 10',
      'Get Session node per message',
      'create → execute → delete chains at concurrency 16',
      'CreateMcpSession p50',
      '`echo hi` p50, sequential',
      '`echo hi` at concurrency 16',
      'heap / RSS growth',
      'Write File + Read File',
      'n8n Get Session items',
    ]) {
      assert.ok(stdout.includes(figure), `the smoke run printed "${figure}":\n${stdout}`);
    }
    assert.match(stdout, /smoke run \(tiny counts, nothing written\)/);
  });
});
