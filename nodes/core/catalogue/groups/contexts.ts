import { createContext } from '../operations/create-context';
import { deleteContext } from '../operations/delete-context';
import { getContext } from '../operations/get-context';
import { updateContext } from '../operations/update-context';
import type { OperationDefinition } from '../types';

export const contextOperations: readonly OperationDefinition[] = [getContext, createContext, updateContext, deleteContext];
