import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import type { ParameterDefinition } from '../types';
import { PATH_EXPECTED, requirePaths, sessionTool } from './file-paths';

interface BlockStart {
  path: string;
  rest: string;
}

/**
 * The `read_multiple_files` answer (docs/protocol.md §5.3): blocks `<path>: <content…>` separated by `---` lines,
 * trailing newlines of each content trimmed. A block starts at a line beginning with one of the
 * requested paths and a colon, so a `---` line or a `key: value` line inside a file does not cut
 * it short; when no requested path is found, the SDK's rule is used (the text before the first
 * colon has no space).
 */
export function parseMultipleFiles(text: string, requested: readonly string[]): Record<string, string> {
  const byLength = [...new Set(requested)].sort((a, b) => b.length - a.length);
  const fromRequested = (line: string): BlockStart | undefined => {
    const path = byLength.find((candidate) => line.startsWith(`${candidate}:`));
    return path === undefined ? undefined : { path, rest: line.slice(path.length + 1) };
  };
  const sdkRule = (line: string): BlockStart | undefined => {
    const colon = line.indexOf(':');
    if (colon <= 0 || line.slice(0, colon).includes(' ')) return undefined;
    return { path: line.slice(0, colon), rest: line.slice(colon + 1) };
  };
  const lines = text.split('\n');
  const parse = (blockStart: (line: string) => BlockStart | undefined): Record<string, string> => {
    const contents: Record<string, string> = {};
    let current: string | undefined;
    let content: string[] = [];
    const finish = (): void => {
      if (current !== undefined) contents[current] = content.join('\n').replace(/\n+$/, '');
      current = undefined;
      content = [];
    };
    lines.forEach((line, index) => {
      if (current === undefined) {
        const start = blockStart(line);
        if (!start) return;
        current = start.path;
        const rest = start.rest.startsWith(' ') ? start.rest.slice(1) : start.rest;
        if (rest !== '') content.push(rest);
        return;
      }
      const next = lines[index + 1];
      if (line === '---' && (next === undefined || blockStart(next) !== undefined)) {
        finish();
        return;
      }
      content.push(line);
    });
    finish();
    return contents;
  };
  const contents = byLength.length > 0 ? parse(fromRequested) : {};
  return Object.keys(contents).length > 0 ? contents : parse(sdkRule);
}

const pathsInput: ParameterDefinition = {
  name: 'paths',
  displayName: 'Paths',
  description: 'The text files to read.',
  kind: 'stringList',
  default: [],
  required: true,
  placeholder: '/home/wuying/a.txt, /home/wuying/b.txt',
  schema: { type: 'array', minItems: 1, items: { type: 'string' } },
  expected: `a list of one or more paths, each ${PATH_EXPECTED}`,
};

export const readMultipleFiles = defineOperation({
  id: 'readMultipleFiles',
  displayName: 'Read Multiple Files',
  summary: 'Reads several text files of the session in one request.',
  details: [
    'Reads the files with the `read_multiple_files` tool and returns `contents`, an object of path to text. Trailing newlines of each file are trimmed, as the SDK does.',
    'A file that cannot be read does not fail the node: its entry holds the tool’s error text instead (on the local server `Error - <reason>`). Use Read File for one file, for binary files, or for large files.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [pathsInput],
  outputs: [
    { name: 'contents', type: 'object', description: 'Path to text, one entry per file.' },
    { name: 'count', type: 'number', description: 'Number of entries.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const paths = requirePaths(input, pathsInput);
    const answer = await sessionTool(context, 'read_multiple_files', { paths });
    const contents = parseMultipleFiles(answer.text, paths);
    return { json: { contents, count: Object.keys(contents).length, requestId: answer.requestId } };
  },
});
