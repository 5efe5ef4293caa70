import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError } from '../../client/errors';
import type { OperationContext } from '../types';
import { pathParameter, requirePath, sessionTool } from './file-paths';

export interface FileInfo {
  name: string;
  path: string;
  size: number;
  isDirectory: boolean;
  modTime: string;
  mode: string;
  owner?: string;
  group?: string;
}

/**
 * `key: value` lines. Each line is split at its FIRST colon only: the TS SDK's `split(":", 2)`
 * cuts values at their second colon, so its `modTime` loses the minutes and seconds.
 */
export function parseFileInfo(text: string, requestId: string): FileInfo {
  if (text.trim() === '') throw new AgentBayError('Empty response from get_file_info', { code: 'InvalidResponse', requestId });
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  // Only the documented fields: the result's keys are exactly its outputs table.
  const info: FileInfo = {
    name: fields.name ?? '',
    path: fields.path ?? '',
    size: Number(fields.size) || 0,
    isDirectory: fields.isDirectory === 'true',
    modTime: fields.modTime ?? '',
    mode: fields.mode ?? '',
  };
  if (fields.owner !== undefined) info.owner = fields.owner;
  if (fields.group !== undefined) info.group = fields.group;
  return info;
}

/** get_file_info on the session; a failure (missing path, access refused) is the tool's own error. */
export async function fetchFileInfo(context: OperationContext<'required'>, path: string): Promise<{ info: FileInfo; requestId: string }> {
  const answer = await sessionTool(context, 'get_file_info', { path });
  return { info: parseFileInfo(answer.text, answer.requestId), requestId: answer.requestId };
}

const pathInput = pathParameter('path', 'Path', 'The file or directory to describe.');

export const getFileInfo = defineOperation({
  id: 'getFileInfo',
  displayName: 'Get File Info',
  summary: 'Returns the size, type, modification time and permissions of a file or directory in the session.',
  details: [
    'Reads the metadata with the `get_file_info` tool. The answer is `key: value` lines; each line is split at its first colon, so values that contain colons (times) stay whole. (The TS SDK splits at the second colon as well and truncates them; this node does not copy that.)',
    'A missing path fails with the tool’s message, e.g. `No such file or directory: /home/wuying/x`.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [pathInput],
  outputs: [
    { name: 'name', type: 'string', description: 'File name.' },
    { name: 'path', type: 'string', description: 'Full path.' },
    { name: 'size', type: 'number', description: 'Size in bytes.' },
    { name: 'isDirectory', type: 'boolean', description: 'Whether it is a directory.' },
    { name: 'modTime', type: 'string', description: 'Last modification time.' },
    { name: 'mode', type: 'string', description: 'Permissions, e.g. -rw-r--r--.' },
    { name: 'owner', type: 'string', description: 'Owner, when the service reports it.', optional: true },
    { name: 'group', type: 'string', description: 'Group, when the service reports it.', optional: true },
    requestIdOutput,
  ],
  async execute(context, input) {
    const path = requirePath(input, pathInput);
    const { info, requestId } = await fetchFileInfo(context, path);
    return { json: { ...info, requestId } };
  },
});
