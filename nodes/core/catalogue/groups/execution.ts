import type { OperationDefinition } from '../types';

export const executionOperations: readonly OperationDefinition[] = [];
