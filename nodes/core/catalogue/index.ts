/** Every operation, in palette order. Both runtimes register exactly this list. */
import {
  browserOperations,
  contextOperations,
  executionOperations,
  fileOperations,
  sessionManagementOperations,
  sessionOperations,
  toolOperations,
} from './groups';
import type { OperationDefinition } from './types';

export const operations: readonly OperationDefinition[] = [
  ...sessionOperations,
  ...contextOperations,
  ...executionOperations,
  ...fileOperations,
  ...sessionManagementOperations,
  ...toolOperations,
  ...browserOperations,
];

export function operationById(id: string): OperationDefinition {
  const operation = operations.find((candidate) => candidate.id === id);
  if (!operation) throw new Error(`Unknown AgentBay operation "${id}"`);
  return operation;
}
