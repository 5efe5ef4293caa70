/**
 * node-red-dev's N02 check, offline: the Node-RED examples together use every node type the package
 * registers, and each example opens with a Comment node that explains it. (That they run to the end
 * against the local server is the demo test's job: it runs every file in examples/.)
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const examples = readdirSync(join(root, 'examples'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, nodes: JSON.parse(readFileSync(join(root, 'examples', file), 'utf8')) as Array<{ type: string; name?: string; info?: string }> }));

describe('Node-RED examples (examples/)', () => {
  it('use every node type the package registers', () => {
    const registered = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);
    const used = new Set(examples.flatMap(({ nodes }) => nodes.map((node) => node.type)));
    assert.deepEqual(registered.filter((type) => !used.has(type)), []);
  });

  it('each start with a Comment node that explains the flow', () => {
    for (const { file, nodes } of examples) {
      assert.equal(nodes[0]?.type, 'comment', file);
      assert.ok((nodes[0].name ?? '').length > 0 && (nodes[0].info ?? '').length > 40, `${file}: the comment has a title and an explanation`);
    }
  });
});
