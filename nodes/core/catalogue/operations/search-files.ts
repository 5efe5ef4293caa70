import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { pathParameter, requirePath, sessionTool } from './file-paths';

const pathInput = pathParameter('path', 'Path', 'The directory to search in (with all its subdirectories).', '/home/wuying');

/** One path per line; blank lines are dropped (docs/protocol.md §5.3). */
export function parseMatches(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '');
}

export const searchFiles = defineOperation({
  id: 'searchFiles',
  displayName: 'Search Files',
  summary: 'Finds files and directories whose names match a wildcard pattern, in a whole directory tree of the session.',
  details: [
    'Searches with the `search_files` tool. The pattern is a wildcard (`*` any characters, `?` one character) matched against names, e.g. `*.py`; on the local server a pattern without wildcards matches names that contain it.',
    'Exclude patterns are wildcards too; they are sent as an array, as the TS SDK does.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    pathInput,
    {
      name: 'pattern',
      displayName: 'Pattern',
      description: 'Wildcard pattern for the names to find, e.g. *.py.',
      kind: 'string',
      default: '',
      required: true,
      placeholder: '*.py',
      schema: { type: 'string', minLength: 1 },
      expected: 'a wildcard pattern such as *.py',
    },
    {
      name: 'excludePatterns',
      displayName: 'Exclude Patterns',
      description: 'Wildcard patterns of names to skip, e.g. node_modules, *.pyc.',
      kind: 'stringList',
      default: [],
      advanced: true,
      schema: { type: 'array', items: { type: 'string' } },
      expected: 'a list of wildcard patterns, e.g. ["node_modules", "*.pyc"]',
    },
  ],
  outputs: [
    { name: 'matches', type: 'string[]', description: 'Paths of the matching files and directories.' },
    { name: 'count', type: 'number', description: 'Number of matches.' },
    { name: 'path', type: 'string', description: 'The directory searched.' },
    { name: 'pattern', type: 'string', description: 'The pattern used.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const path = requirePath(input, pathInput);
    const pattern = input.pattern;
    const excludePatterns = (input.excludePatterns ?? []).filter((item) => item.trim() !== '');
    const args: Record<string, unknown> = { path, pattern };
    if (excludePatterns.length > 0) args.excludePatterns = excludePatterns;
    const answer = await sessionTool(context, 'search_files', args);
    const matches = parseMatches(answer.text);
    return { json: { matches, count: matches.length, path, pattern, requestId: answer.requestId } };
  },
});
