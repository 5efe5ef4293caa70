/** Every operation, in palette order. Both runtimes register exactly this list. */
import { createSession } from './operations/create-session';
import { deleteSession } from './operations/delete-session';
import { generateContextName } from './operations/generate-context-name';
import { getSession } from './operations/get-session';
import { getSessionInfo } from './operations/get-session-info';
import { listSessions } from './operations/list-sessions';
import type { OperationDefinition } from './types';

export const operations: readonly OperationDefinition[] = [
  createSession,
  getSession,
  getSessionInfo,
  listSessions,
  deleteSession,
  generateContextName,
];

export function operationById(id: string): OperationDefinition {
  const operation = operations.find((candidate) => candidate.id === id);
  if (!operation) throw new Error(`Unknown AgentBay operation "${id}"`);
  return operation;
}
