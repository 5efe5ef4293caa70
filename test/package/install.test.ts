/**
 * The package installed the way Node-RED's palette manager installs it (npm pack, then
 * `npm install --omit=dev --engine-strict` in a user directory): n8n-workflow is not pulled in,
 * every Node-RED entry loads from the installed copy, and the agentbay-local bin runs.
 * Uses the npm registry for axios and ajv, as a user's install does.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

describe('package installed into a Node-RED user directory', function () {
  this.timeout(180_000);
  let workDir: string;
  let installed: string;

  before(() => {
    workDir = mkdtempSync(join(tmpdir(), 'agentbay-install-'));
    const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', workDir], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
    const userDir = join(workDir, 'node-red-user');
    execFileSync('mkdir', ['-p', userDir]);
    writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-user', version: '1.0.0', private: true }));
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-update-notifier', '--no-fund', '--save', '--save-prefix=~', '--omit=dev', '--engine-strict', join(workDir, tarball)],
      { cwd: userDir, stdio: 'pipe' },
    );
    installed = join(userDir, 'node_modules', 'n8n-nodes-agentbay');
  });
  after(() => rmSync(workDir, { recursive: true, force: true }));

  it('does not pull in n8n-workflow or any dev dependency', () => {
    const modules = join(installed, '..');
    assert.ok(!existsSync(join(modules, 'n8n-workflow')), 'n8n-workflow is an optional peer');
    for (const dev of ['node-red', 'mocha', 'typescript']) assert.ok(!existsSync(join(modules, dev)), dev);
    assert.ok(existsSync(join(modules, 'axios')) && existsSync(join(modules, 'ajv')));
  });

  it('loads every Node-RED entry from the installed copy, each beside its editor file and icon', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
    for (const file of Object.values(pkg['node-red'].nodes)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      assert.equal(typeof require(join(installed, file)), 'function', file);
      assert.ok(existsSync(join(installed, file.replace(/\.js$/, '.html'))), `${file} has its .html`);
    }
    assert.ok(existsSync(join(installed, 'dist', 'nodes', 'node-red', 'icons', 'agentbay.svg')));
    assert.ok(existsSync(join(installed, 'examples', 'session-lifecycle.json')));
    assert.ok(existsSync(join(installed, 'docs', 'n8n-workflows', 'reuse-workspace-across-runs.json')), 'the n8n workflows ship too');
  });

  it('runs the agentbay-local bin', () => {
    const help = execFileSync(join(installed, '..', '.bin', 'agentbay-local'), ['--help'], { encoding: 'utf8' });
    assert.match(help, /Usage: agentbay-local/);
  });
});
