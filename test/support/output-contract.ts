/**
 * The run-time half of the output contract (the compile-time half is `defineOperation`): every
 * operation that any test runs, through either runtime, has its result checked against its
 * `outputs[]` table. Keys must be documented outputs, and every output not marked `optional`
 * (nor `binary`, which travels beside the json) must be there. Violations are collected and fail
 * the suite in the root `afterAll` hook, so a test that expects an error cannot swallow them.
 */
import { operations } from '../../nodes/core/catalogue/index';
import type { OperationDefinition, OperationOutput } from '../../nodes/core/catalogue/types';

/** What is wrong with one result, as sentences; empty when it matches the outputs table. */
export function outputContractProblems(operation: OperationDefinition, json: Record<string, unknown>): string[] {
  const documented = new Set(operation.outputs.map((output) => output.name));
  const problems: string[] = [];
  for (const key of Object.keys(json)) {
    if (!documented.has(key)) problems.push(`${operation.id}: result key "${key}" is not in outputs[]`);
  }
  for (const output of operation.outputs) {
    if (output.optional || output.type === 'binary') continue;
    if (!Object.prototype.hasOwnProperty.call(json, output.name)) problems.push(`${operation.id}: output "${output.name}" is missing from the result`);
  }
  return problems;
}

export const contractViolations: string[] = [];
/** Operation ids whose results were checked, for the suite's summary. */
export const checkedOperations = new Set<string>();

const wrapped = new WeakSet<OperationDefinition>();

/** Wraps `operation.execute` so each result it returns is checked. Idempotent. */
export function checkOutputsOf(operation: OperationDefinition): void {
  if (wrapped.has(operation)) return;
  wrapped.add(operation);
  const execute = operation.execute.bind(operation);
  operation.execute = async (context, input): Promise<OperationOutput> => {
    const output = await execute(context, input);
    checkedOperations.add(operation.id);
    contractViolations.push(...outputContractProblems(operation, output.json));
    return output;
  };
}

/** Installed once for the whole catalogue, before any test module runs an operation. */
export function checkCatalogueOutputs(): void {
  for (const operation of operations) checkOutputsOf(operation);
}
