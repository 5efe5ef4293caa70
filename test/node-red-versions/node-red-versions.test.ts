/**
 * The Node-RED version matrix. Each supported Node-RED line runs as a real Node-RED in its own
 * process (`scripts/demo.js --node-red <dir>`), this package installed in its user directory as a
 * user installs it: every node type must load, every example flow (create → write → command →
 * read → delete against the local server, with the Catch → Delete error path wired) must run to
 * the end, and no session may be left. A Node-RED below the supported range must refuse the
 * package with its own version check. Node-RED 4.1 is the devDependency; the other lines are
 * installed by scripts/setup-node-red-versions.sh into .node-red-versions/<line>/.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operations } from '../../nodes/core/catalogue/index';
import { exampleFlows } from '../../scripts/node-red-host';

const ROOT = join(__dirname, '..', '..', '..');
const DEMO = join(ROOT, 'dist', 'scripts', 'demo.js');
const NODE_TYPE_COUNT = operations.length + 1; // one per operation, plus the config node
const SUPPORTED_RANGE = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { version: string } })['node-red'].version;

interface NodeRedLine {
  line: string;
  dir: string;
}

const SUPPORTED: NodeRedLine[] = [
  { line: '4.1', dir: join(ROOT, 'node_modules', 'node-red') },
  { line: '4.0', dir: join(ROOT, '.node-red-versions', '4.0', 'node_modules', 'node-red') },
  { line: '3.1', dir: join(ROOT, '.node-red-versions', '3.1', 'node_modules', 'node-red') },
];
const BELOW_RANGE: NodeRedLine = { line: '3.0', dir: join(ROOT, '.node-red-versions', '3.0', 'node_modules', 'node-red') };

/** The version of the Node-RED installed in `dir`, as its package says. */
function installedVersion({ line, dir }: NodeRedLine): string {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return `${line}.x (not installed: run scripts/setup-node-red-versions.sh)`;
  }
}

function runDemo(dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [DEMO, '--node-red', dir], { encoding: 'utf8', timeout: 230_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('Node-RED version matrix (each a real Node-RED process running the example flows)', function () {
  this.timeout(240_000);

  for (const line of SUPPORTED) {
    const version = installedVersion(line);
    it(`Node-RED ${version}: loads all ${NODE_TYPE_COUNT} node types and runs every example flow to the end`, () => {
      assert.ok(version.startsWith(`${line.line}.`), `Node-RED ${line.line}.x is installed in ${line.dir} (found ${version})`);
      const { status, output } = runDemo(line.dir);
      assert.equal(status, 0, `demo failed in Node-RED ${version}:\n${output}`);
      // Node-RED appends -git to its version when a .git sits four levels above its runtime, as for the devDependency here.
      assert.match(output, new RegExp(`^Node-RED ${escape(version)}(-git)? \\(`, 'm'), 'the running runtime reports that version');
      assert.match(output, new RegExp(`^all ${NODE_TYPE_COUNT} node types loaded$`, 'm'));
      // The demo prints each flow's steps as one block under `== <flow> ==`.
      assert.match(output, /== session-lifecycle ==[\s\S]*?\n {2}deleted:\n\s*\{\n\s*deleted: true/);
      assert.match(output, /== run-script-collect-output ==[\s\S]*?\n {2}output file:\n\s*metric,value\r?\n\s*count,8\r?\n\s*mean,3\.875\r?\n\s*max,9/);
      assert.match(output, new RegExp(`Demo OK: ${exampleFlows().length} flow\\(s\\) ran to the end, no session left behind\\.`));
    });
  }

  const belowVersion = installedVersion(BELOW_RANGE);
  it(`Node-RED ${belowVersion}, below ${SUPPORTED_RANGE}: refuses the package with its version check, naming the range`, () => {
    assert.ok(belowVersion.startsWith(`${BELOW_RANGE.line}.`), `Node-RED ${BELOW_RANGE.line}.x is installed (found ${belowVersion})`);
    const { status, output } = runDemo(BELOW_RANGE.dir);
    assert.equal(status, 1, output);
    assert.match(output, new RegExp(`^Node-RED ${escape(belowVersion)} \\(`, 'm'));
    assert.ok(output.includes(`[n8n-nodes-agentbay] Node module cannot be loaded on this version. Requires: ${SUPPORTED_RANGE}`), output);
    assert.match(output, new RegExp(`${NODE_TYPE_COUNT} of ${NODE_TYPE_COUNT} node types did not load`));
  });
});
