/**
 * The package as both ecosystems' loaders and installers see it: metadata, entry files that
 * exist and export what the loaders look for, the layering rule (core imports no runtime),
 * and examples that carry no secrets.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operations } from '../../nodes/core/catalogue/index';
import { n8nClassName, nodeRedType } from '../../nodes/core/catalogue/naming';
import { PACKAGE_VERSION } from '../../nodes/core/catalogue/version';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown> & {
  name: string;
  version: string;
  keywords: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  engines: { node: string };
  bin: Record<string, string>;
  n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
  'node-red': { version: string; nodes: Record<string, string> };
};

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name), suffix) : entry.name.endsWith(suffix) ? [join(dir, entry.name)] : [],
  );
}

describe('package shape', () => {
  it('has metadata both loaders accept', () => {
    assert.match(pkg.name, /^(@[a-z0-9-]+\/)?n8n-nodes-[a-z0-9-]+$/);
    assert.ok(pkg.keywords.includes('n8n-community-node-package') && pkg.keywords.includes('node-red'));
    assert.equal(pkg.license, 'MIT');
    assert.equal(pkg.engines.node, '>=20.19');
    assert.equal(pkg.n8n.n8nNodesApiVersion, 1);
    assert.equal(pkg['node-red'].version, '>=3.1.0', 'the oldest Node-RED line of the version matrix');
    assert.equal(pkg.version, PACKAGE_VERSION);
    assert.deepEqual(Object.keys(pkg.bin), ['agentbay-local']);
  });

  it('depends at run time on axios and ajv only; n8n-workflow is an optional peer', () => {
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), ['ajv', 'axios']);
    // `*` as n8n's linter requires; the floor is checked at load instead (nodes/n8n/supported-version.ts,
    // MIN_N8N_WORKFLOW_VERSION); 1.x and 2.x are tested end to end.
    assert.deepEqual(pkg.peerDependencies, { 'n8n-workflow': '*' });
    assert.equal(pkg.peerDependenciesMeta['n8n-workflow'].optional, true);
  });

  it('runs no lifecycle script in a user\'s installation; only a checkout builds itself (prepare)', () => {
    for (const script of ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'postprepare']) {
      assert.equal(pkg.scripts[script], undefined, script);
    }
    // npm runs prepare for `npm install` in a clone, `npm pack`/`publish` and git installs, never
    // when installing the published tarball (the n8n and Node-RED installers' case).
    assert.equal(pkg.scripts.prepare, 'npm run build');
  });

  it('registers one n8n node and one Node-RED node per operation, each file present', () => {
    assert.equal(pkg.n8n.nodes.length, operations.length);
    for (const operation of operations) {
      const className = n8nClassName(operation);
      const file = `dist/nodes/${className}/${className}.node.js`;
      assert.ok(pkg.n8n.nodes.includes(file), file);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(join(root, file)) as Record<string, new () => { description: { name: string } }>;
      assert.equal(typeof exported[className], 'function', `${file} exports ${className}, as n8n's loader expects`);
      assert.ok(existsSync(join(root, 'dist', 'nodes', className, `${className}.node.json`)), 'codex file');

      const type = nodeRedType(operation);
      assert.equal(pkg['node-red'].nodes[type], `dist/nodes/node-red/${type}.js`);
      const html = readFileSync(join(root, 'dist', 'nodes', 'node-red', `${type}.html`), 'utf8');
      assert.match(html, new RegExp(`data-template-name="${type}"`));
      assert.match(html, /### Inputs[\s\S]*### Outputs[\s\S]*### Details/);
      for (const parameter of operation.parameters) assert.ok(html.includes(`- **${parameter.displayName}** (`), `${type} help lists ${parameter.displayName}`);
      // Node-RED's help parser splits `: name (type) : text` lines at colons: their text must have none.
      for (const line of html.split('\n').filter((candidate) => candidate.startsWith(': '))) {
        assert.equal(line.split(' : ').length, 2, `${type}: one separator in "${line}"`);
        assert.ok(!line.split(' : ')[1].includes(':'), `${type}: no colon in the text of "${line}"`);
      }
    }
    for (const file of pkg.n8n.credentials) assert.ok(existsSync(join(root, file)), file);
    assert.ok(existsSync(join(root, 'dist', 'nodes', 'node-red', 'icons', 'agentbay.svg')), 'Node-RED icon beside the node files');
    for (const icon of ['agentbay.svg', 'agentbay.dark.svg']) assert.ok(existsSync(join(root, 'dist', 'icons', icon)), icon);
  });

  it('names no Node-RED file *.node.js, which n8n would try to load as a node', () => {
    assert.deepEqual(filesUnder(join(root, 'dist', 'nodes', 'node-red'), '.node.js'), []);
  });

  it('keeps the client and catalogue free of n8n and Node-RED imports', () => {
    for (const file of filesUnder(join(root, 'dist', 'nodes', 'core'), '.js')) {
      const source = readFileSync(file, 'utf8');
      assert.doesNotMatch(source, /require\("(n8n-workflow|node-red|@node-red\/[^"]+)"\)/, file);
    }
  });

  it("keeps the local server's sandbox free of the tool catalogue (tools import the sandbox, never back)", () => {
    const files = filesUnder(join(root, 'local-server', 'sandbox'), '.ts');
    assert.ok(files.length > 5);
    for (const file of files) assert.doesNotMatch(readFileSync(file, 'utf8'), /from '\.\.\/tools\//, file);
  });

  it('ships Node-RED examples that use only this package and core nodes, with no secrets', () => {
    const coreTypes = new Set(['inject', 'debug', 'catch', 'comment', 'tab', 'function', 'change', 'switch', 'status', 'complete', 'junction', 'group']);
    const ownTypes = new Set(Object.keys(pkg['node-red'].nodes));
    const examples = readdirSync(join(root, 'examples')).filter((file) => file.endsWith('.json'));
    assert.ok(examples.length > 0);
    for (const file of examples) {
      const text = readFileSync(join(root, 'examples', file), 'utf8');
      const nodes = JSON.parse(text) as Array<{ type: string; credentials?: unknown }>;
      assert.ok(Array.isArray(nodes), `${file} is a flow array`);
      for (const node of nodes) assert.ok(coreTypes.has(node.type) || ownTypes.has(node.type), `${file}: ${node.type}`);
      assert.doesNotMatch(text, /apiKey|akm-|akl-|Bearer/, `${file} carries no key`);
    }
  });
});
