import { clearContext } from '../operations/clear-context';
import { createContext } from '../operations/create-context';
import { deleteContext } from '../operations/delete-context';
import { deleteContextFile } from '../operations/delete-context-file';
import { getContext } from '../operations/get-context';
import { getContextSyncStatus } from '../operations/get-context-sync-status';
import { getFileDownloadUrl } from '../operations/get-file-download-url';
import { getFileUploadUrl } from '../operations/get-file-upload-url';
import { listContextFiles } from '../operations/list-context-files';
import { listContexts } from '../operations/list-contexts';
import { syncContext } from '../operations/sync-context';
import { updateContext } from '../operations/update-context';
import type { OperationDefinition } from '../types';

export const contextOperations: readonly OperationDefinition[] = [
  getContext,
  createContext,
  listContexts,
  updateContext,
  deleteContext,
  clearContext,
  listContextFiles,
  getFileUploadUrl,
  getFileDownloadUrl,
  deleteContextFile,
  syncContext,
  getContextSyncStatus,
];
