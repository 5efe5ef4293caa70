/** The load-time n8n version check: too old an n8n is refused with a message saying why, anything newer passes. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertSupportedN8n,
  MIN_N8N_VERSION,
  MIN_N8N_WORKFLOW_VERSION,
  runningN8nWorkflowVersion,
  unsupportedN8nReason,
} from '../../../nodes/n8n/supported-version';

describe('n8n version check at load', () => {
  it('reads the version of the n8n-workflow the nodes load', () => {
    const installed = (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'node_modules', 'n8n-workflow', 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(runningN8nWorkflowVersion(), installed);
    assert.doesNotThrow(() => assertSupportedN8n());
  });

  it('refuses an n8n older than the minimum, naming the package, both versions and the fix', () => {
    for (const old of ['1.47.9', '1.41.0', '1.0.0', '0.236.0']) {
      assert.equal(
        unsupportedN8nReason(old),
        `n8n-nodes-agentbay needs n8n ${MIN_N8N_VERSION} or newer; this n8n ships n8n-workflow ${old} (n8n ${MIN_N8N_VERSION} ships ${MIN_N8N_WORKFLOW_VERSION}). Update n8n.`,
      );
    }
  });

  it('accepts the minimum and everything newer, including 2.x and pre-releases', () => {
    for (const version of [MIN_N8N_WORKFLOW_VERSION, '1.48.1', '1.120.31', '2.8.0', '2.41.3', '3.0.0-rc.1']) {
      assert.equal(unsupportedN8nReason(version), undefined, version);
    }
  });

  it('does not refuse when the version cannot be read (it checks only what it knows)', () => {
    assert.equal(unsupportedN8nReason(undefined), undefined);
    assert.equal(unsupportedN8nReason('not-a-version'), undefined);
  });
});
