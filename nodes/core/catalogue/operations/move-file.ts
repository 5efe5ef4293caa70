import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { pathParameter, requirePath, sessionTool } from './file-paths';

const sourceInput = pathParameter('source', 'Source', 'The file or directory to move.', '/home/wuying/draft.txt');
const destinationInput = pathParameter('destination', 'Destination', 'The new path (a new name or another directory).', '/home/wuying/final.txt');

export const moveFile = defineOperation({
  id: 'moveFile',
  displayName: 'Move File',
  summary: 'Moves or renames a file or directory in the session.',
  details: [
    'Moves with the `move_file` tool. Give the full new path, including the file name.',
    'The local server refuses to replace an existing destination, as the MCP filesystem server does; delete it first if that is what you want.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [sourceInput, destinationInput],
  outputs: [
    { name: 'success', type: 'boolean', description: 'Always true on success.' },
    { name: 'source', type: 'string', description: 'The old path.' },
    { name: 'destination', type: 'string', description: 'The new path.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const source = requirePath(input, sourceInput);
    const destination = requirePath(input, destinationInput);
    const answer = await sessionTool(context, 'move_file', { source, destination });
    return { json: { success: true, source, destination, requestId: answer.requestId } };
  },
});
