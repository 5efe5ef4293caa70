import { createSession } from '../operations/create-session';
import { deleteIdleSessions } from '../operations/delete-idle-sessions';
import { deleteSession } from '../operations/delete-session';
import { generateContextName } from '../operations/generate-context-name';
import { getSession } from '../operations/get-session';
import { getSessionInfo } from '../operations/get-session-info';
import { listSessions } from '../operations/list-sessions';
import type { OperationDefinition } from '../types';

export const sessionOperations: readonly OperationDefinition[] = [
  createSession,
  getSession,
  getSessionInfo,
  listSessions,
  deleteSession,
  deleteIdleSessions,
  generateContextName,
];
