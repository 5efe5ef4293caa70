/**
 * The run-time output contract (test/support/output-contract.ts): results are checked against
 * outputs[] for every operation the suite runs; here the checker itself is shown to catch drift.
 */
import { strict as assert } from 'node:assert';
import { operationById } from '../../../../nodes/core/catalogue/index';
import type { OperationDefinition } from '../../../../nodes/core/catalogue/types';
import { runOperation } from '../../../../nodes/core/run-operation';
import { checkedOperations, checkOutputsOf, contractViolations, outputContractProblems } from '../../../support/output-contract';

const noClient = () => {
  throw new Error('offline operation');
};

describe('output contract', () => {
  const readFile = operationById('readFile');

  it('accepts a result with every required output, without optional or binary ones', () => {
    const json = { path: '/a', size: 1, encoding: 'binary', fileName: 'a', mimeType: 'text/plain', transfer: 'tool', requestId: 'r' };
    assert.deepEqual(outputContractProblems(readFile, json), []);
  });

  it('names an undocumented key and a missing required output', () => {
    const json = { path: '/a', size: 1, encoding: 'utf-8', fileName: 'a', mimeType: 'text/plain', content: 'x', transfer: 'tool', lines: 1 };
    assert.deepEqual(outputContractProblems(readFile, json), [
      'readFile: result key "lines" is not in outputs[]',
      'readFile: output "requestId" is missing from the result',
    ]);
  });

  it('checks the results of catalogue operations as the runtimes run them', async () => {
    await runOperation(operationById('generateContextName'), { rawParameters: {}, sessionField: 'session', getClient: noClient, progress: () => {} });
    assert.ok(checkedOperations.has('generateContextName'), 'the root hook wrapped the catalogue');
  });

  it('records a drifted result', async () => {
    const original = operationById('generateContextName');
    const drifted: OperationDefinition = { ...original, execute: async () => ({ json: { contextName: 'x', name: 'x' } }) };
    checkOutputsOf(drifted);
    const before = contractViolations.length;
    await runOperation(drifted, { rawParameters: {}, sessionField: 'session', getClient: noClient, progress: () => {} });
    const recorded = contractViolations.splice(before);
    assert.deepEqual(recorded, ['generateContextName: result key "name" is not in outputs[]']);
  });
});
