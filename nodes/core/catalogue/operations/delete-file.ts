import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { pathParameter, requirePath, sessionTool } from './file-paths';

const pathInput = pathParameter('path', 'Path', 'The file to delete.');

export const deleteFile = defineOperation({
  id: 'deleteFile',
  displayName: 'Delete File',
  summary: 'Deletes a file (or an empty directory) in the session.',
  details: [
    'Deletes with the `delete_file` tool. A symbolic link is removed itself, not what it points to.',
    'The local server deletes files, links and empty directories only; to remove a whole tree use Execute Command with `rm -r <path>`.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [pathInput],
  outputs: [
    { name: 'success', type: 'boolean', description: 'Always true on success.' },
    { name: 'path', type: 'string', description: 'The path deleted.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const path = requirePath(input, pathInput);
    const answer = await sessionTool(context, 'delete_file', { path });
    return { json: { success: true, path, requestId: answer.requestId } };
  },
});
