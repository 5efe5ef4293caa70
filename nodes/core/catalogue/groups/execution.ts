import { executeCommand } from '../operations/execute-command';
import { runCode } from '../operations/run-code';
import { withTemporarySession } from '../temporary-session';
import type { OperationDefinition } from '../types';

export const executionOperations: readonly OperationDefinition[] = [
  withTemporarySession(executeCommand, 'linux_latest'),
  withTemporarySession(runCode, 'code_latest'),
];
