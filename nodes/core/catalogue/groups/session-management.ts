import type { OperationDefinition } from '../types';

export const sessionManagementOperations: readonly OperationDefinition[] = [];
