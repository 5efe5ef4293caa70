import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { pathParameter, requirePath, sessionTool } from './file-paths';

const pathInput = pathParameter('path', 'Path', 'The directory to create; missing parent directories are created too.', '/home/wuying/output');

export const createDirectory = defineOperation({
  id: 'createDirectory',
  displayName: 'Create Directory',
  summary: 'Creates a directory (and any missing parents) in the session.',
  details: 'Creates the directory with the `create_directory` tool. An existing directory is not an error.',
  session: 'required',
  usableAsTool: true,
  parameters: [pathInput],
  outputs: [
    { name: 'success', type: 'boolean', description: 'Always true on success.' },
    { name: 'path', type: 'string', description: 'The directory created.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const path = requirePath(input, pathInput);
    const answer = await sessionTool(context, 'create_directory', { path });
    return { json: { success: true, path, requestId: answer.requestId } };
  },
});
