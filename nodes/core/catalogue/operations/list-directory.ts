import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { pathParameter, requirePath, sessionTool } from './file-paths';

export interface DirectoryEntry {
  name: string;
  isDirectory: boolean;
}

/** One `[DIR] name` or `[FILE] name` line per entry; other lines are not entries. */
export function parseDirectoryListing(text: string): DirectoryEntry[] {
  const entries: DirectoryEntry[] = [];
  for (const line of text.split('\n')) {
    const match = /^\[(DIR|FILE)\] (.*)$/.exec(line.replace(/\r$/, ''));
    if (match && match[2] !== '') entries.push({ name: match[2], isDirectory: match[1] === 'DIR' });
  }
  return entries;
}

const pathInput = pathParameter('path', 'Path', 'The directory to list.', '/home/wuying');

export const listDirectory = defineOperation({
  id: 'listDirectory',
  displayName: 'List Directory',
  summary: 'Lists the files and directories in a directory of the session.',
  details: [
    'Lists the directory with the `list_directory` tool, one entry per file or subdirectory (not recursive). Use Search Files to find files in a whole tree.',
    'A missing directory fails with the tool’s message, e.g. `No such file or directory: /home/wuying/x`.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [pathInput],
  outputs: [
    { name: 'path', type: 'string', description: 'The directory listed.' },
    { name: 'entries', type: 'object[]', description: 'One {name, isDirectory} per entry.' },
    { name: 'count', type: 'number', description: 'Number of entries.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const path = requirePath(input, pathInput);
    const answer = await sessionTool(context, 'list_directory', { path });
    const entries = parseDirectoryListing(answer.text);
    return { json: { path, entries, count: entries.length, requestId: answer.requestId } };
  },
});
