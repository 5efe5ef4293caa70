import { createDirectory } from '../operations/create-directory';
import { deleteFile } from '../operations/delete-file';
import { downloadFile } from '../operations/download-file';
import { editFile } from '../operations/edit-file';
import { getFileInfo } from '../operations/get-file-info';
import { listDirectory } from '../operations/list-directory';
import { moveFile } from '../operations/move-file';
import { readFile } from '../operations/read-file';
import { readMultipleFiles } from '../operations/read-multiple-files';
import { searchFiles } from '../operations/search-files';
import { uploadFile } from '../operations/upload-file';
import { writeFile } from '../operations/write-file';
import { withTemporarySession } from '../temporary-session';
import type { OperationDefinition } from '../types';

export const fileOperations: readonly OperationDefinition[] = [
  readFile,
  writeFile,
  listDirectory,
  createDirectory,
  moveFile,
  deleteFile,
  getFileInfo,
  searchFiles,
  editFile,
  readMultipleFiles,
  uploadFile,
  downloadFile,
].map((operation) => withTemporarySession(operation, 'linux_latest'));
