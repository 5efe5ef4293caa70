/**
 * The oldest n8n-workflow the package supports (1.48.0, in n8n 1.49; devDependency
 * `n8n-workflow-floor`): every shipped n8n entry loads against its exports and its error classes
 * do the mapping. Catches a run-time import that only newer n8n has (as `NodeConnectionTypes`,
 * from 1.88, was), which the end-to-end tests on n8n 1.123 and 2.8 would not notice.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { operations } from '../../../nodes/core/catalogue/index';
import { MIN_N8N_WORKFLOW_VERSION } from '../../../nodes/n8n/supported-version';

interface Loaded {
  n8nWorkflow: string;
  entries: Array<{ file: string; name: string; inputs?: unknown; outputs?: unknown }>;
  errors: Array<{ class: string; message: string; itemIndex: number }>;
}

describe(`n8n-workflow ${MIN_N8N_WORKFLOW_VERSION} (the oldest supported, as in n8n 1.49)`, function () {
  this.timeout(60_000);
  let loaded: Loaded;

  before(() => {
    const output = execFileSync(process.execPath, [join(__dirname, '..', '..', 'support', 'load-n8n-entries.js'), 'n8n-workflow-floor'], { encoding: 'utf8' });
    loaded = JSON.parse(output) as Loaded;
  });

  it('is the version the nodes see, and they accept it', () => {
    assert.equal(loaded.n8nWorkflow, MIN_N8N_WORKFLOW_VERSION);
  });

  it('loads the credential and every node, each with one main input and output', () => {
    assert.equal(loaded.entries.length, operations.length + 1);
    assert.equal(loaded.entries[0].name, 'agentBayApi');
    for (const entry of loaded.entries.slice(1)) {
      assert.deepEqual({ inputs: entry.inputs, outputs: entry.outputs }, { inputs: ['main'], outputs: ['main'] }, entry.file);
    }
  });

  it("maps errors with that version's NodeApiError and NodeOperationError, keeping the item index", () => {
    assert.deepEqual(loaded.errors, [
      { class: 'NodeApiError', message: 'Failed to get session s: Session s not found', itemIndex: 2 },
      { class: 'NodeOperationError', message: 'Session ID: a session ID', itemIndex: 3 },
    ]);
  });
});
