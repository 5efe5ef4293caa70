import { asRecord, str } from '../session-api';
import { requestIdOutput } from '../common-parameters';
import { SESSION_PATH_EXPECTED, SESSION_PATH_SCHEMA } from '../context-fields';
import { defineOperation } from '../define';

export const listContextFiles = defineOperation({
  id: 'listContextFiles',
  displayName: 'List Context Files',
  summary: 'Lists the files and folders of one folder of a persistent context.',
  details: [
    'Sends DescribeContextFiles (the SDK\'s `context.listFiles`). Context files are named by the absolute session path they sync from or to, e.g. `/home/wuying/data/report.csv`; the list holds the folder\'s direct children, files and subfolders.',
    'Pages are numbered from 1; `count` is the number of entries in the folder on all pages.',
  ].join('\n\n'),
  session: 'none',
  context: 'required',
  parameters: [
    {
      name: 'folder',
      displayName: 'Folder',
      description: 'The folder to list (ParentFolderPath).',
      kind: 'string',
      default: '/',
      required: true,
      placeholder: '/home/wuying/data',
      schema: SESSION_PATH_SCHEMA,
      expected: SESSION_PATH_EXPECTED,
    },
    {
      name: 'page',
      displayName: 'Page',
      description: 'Which page to return, starting at 1 (PageNumber).',
      kind: 'number',
      default: 1,
      schema: { type: 'integer', minimum: 1, maximum: 100000 },
      expected: 'a whole number from 1',
    },
    {
      name: 'pageSize',
      displayName: 'Page Size',
      description: 'Entries per page (PageSize).',
      kind: 'number',
      default: 50,
      schema: { type: 'integer', minimum: 1, maximum: 500 },
      expected: 'a whole number from 1 to 500',
    },
  ],
  outputs: [
    { name: 'files', type: 'object[]', description: 'One {fileId, fileName, filePath, fileType, gmtCreate, gmtModified, size, status} per entry; fileType is file or folder.' },
    { name: 'count', type: 'number', description: 'Number of entries in the folder, on all pages.' },
    { name: 'contextId', type: 'string', description: 'ID of the context.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const envelope = await context.client.call(
      'DescribeContextFiles',
      { ContextId: context.contextRef.contextId, ParentFolderPath: input.folder, PageNumber: input.page, PageSize: input.pageSize },
      { signal: context.signal },
    );
    const items = Array.isArray(envelope.Data) ? envelope.Data.slice(0, 1000) : [];
    const files = items.map((item) => {
      const entry = asRecord(item);
      return {
        fileId: str(entry.FileId),
        fileName: str(entry.FileName),
        filePath: str(entry.FilePath),
        fileType: str(entry.FileType),
        gmtCreate: str(entry.GmtCreate),
        gmtModified: str(entry.GmtModified),
        size: Number(entry.Size) || 0,
        status: str(entry.Status),
      };
    });
    return {
      json: { files, count: Number(envelope.Count) || files.length, contextId: context.contextRef.contextId, requestId: str(envelope.RequestId) },
    };
  },
});
