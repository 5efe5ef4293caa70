import type { OperationDefinition } from '../types';

export const fileOperations: readonly OperationDefinition[] = [];
