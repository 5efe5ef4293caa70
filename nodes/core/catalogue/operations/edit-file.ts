import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { pathParameter, requirePath, sessionTool } from './file-paths';

const pathInput = pathParameter('path', 'Path', 'The text file to edit.');

export const editFile = defineOperation({
  id: 'editFile',
  displayName: 'Edit File',
  summary: 'Replaces exact pieces of text in a file of the session, optionally as a dry run that only shows the diff.',
  details: [
    'Applies the edits in order with the `edit_file` tool: each `oldText` must occur in the file and is replaced by its `newText`. If an `oldText` is not found the node fails and the file is left unchanged.',
    '`diff` is the tool’s answer: on the local server a unified diff of the change (or `No changes: <path>`). With **Dry Run** the file is not written; use it to preview the diff.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    pathInput,
    {
      name: 'edits',
      displayName: 'Edits',
      description: 'The replacements, in order: a JSON array of {"oldText", "newText"}.',
      kind: 'json',
      default: [],
      required: true,
      schema: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['oldText', 'newText'],
          properties: { oldText: { type: 'string', minLength: 1 }, newText: { type: 'string' } },
        },
      },
      expected: 'a JSON array like [{"oldText":"debug = True","newText":"debug = False"}]',
    },
    {
      name: 'dryRun',
      displayName: 'Dry Run',
      description: 'Whether to only show the diff without changing the file.',
      kind: 'boolean',
      default: false,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
  ],
  outputs: [
    { name: 'success', type: 'boolean', description: 'Always true on success.' },
    { name: 'path', type: 'string', description: 'The file edited.' },
    { name: 'dryRun', type: 'boolean', description: 'Whether it was a dry run (file unchanged).' },
    { name: 'diff', type: 'string', description: 'The tool’s answer: a unified diff on the local server.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const path = requirePath(input, pathInput);
    const edits = input.edits.map(({ oldText, newText }) => ({ oldText, newText }));
    const dryRun = input.dryRun === true;
    const answer = await sessionTool(context, 'edit_file', { path, edits, dryRun });
    return { json: { success: true, path, dryRun, diff: answer.text, requestId: answer.requestId } };
  },
});
