import { executeCommand } from '../operations/execute-command';
import { runCode } from '../operations/run-code';
import type { OperationDefinition } from '../types';

export const executionOperations: readonly OperationDefinition[] = [executeCommand, runCode];
