import type { OperationDefinition } from '../types';

export const toolOperations: readonly OperationDefinition[] = [];
