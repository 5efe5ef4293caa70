/**
 * Context fixtures for the operation tests: a context seeded with files through a session of its
 * own or an upload URL, the files a session sees under a path, and running a context operation.
 */
import axios from 'axios';
import { operationById } from '../../../../../nodes/core/catalogue/index';
import type { OperationOutput } from '../../../../../nodes/core/catalogue/types';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { runOperation } from '../../../../../nodes/core/run-operation';
import { createSessionWith, deleteAndWait, makeContext, tool } from '../../../../support/contexts';

/** The files (relative paths, sorted) a session has under `dir`; none when it does not exist. */
export async function filesIn(client: AgentBayClient, sessionId: string, dir: string): Promise<string[]> {
  const text = await tool(client, sessionId, 'shell', { command: `cd '${dir}' 2>/dev/null && find . -type f | sort`, timeout_ms: 20000 });
  const { stdout } = JSON.parse(text) as { stdout: string };
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\.\//, ''));
}

/** Writes files (relative path → content) under `dir` of a session. */
export async function writeFiles(client: AgentBayClient, sessionId: string, dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await tool(client, sessionId, 'shell', { command: `mkdir -p "$(dirname '${dir}/${name}')" && printf %s '${content}' > '${dir}/${name}'`, timeout_ms: 20000 });
  }
}

/** A new context holding `files` under `path`, uploaded by a session that is then deleted. */
export async function seededContext(client: AgentBayClient, name: string, path: string, files: Record<string, string>): Promise<string> {
  const contextId = await makeContext(client, name);
  const sessionId = await createSessionWith(client, [{ ContextId: contextId, Path: path }]);
  await writeFiles(client, sessionId, path, files);
  // Released with the default policy, the session uploads the path before it is gone.
  await deleteAndWait(client, sessionId);
  return contextId;
}

/** Runs a context operation as both adapters do, with `contextId` in its Context field. */
export async function runOnContext(
  client: AgentBayClient,
  operationId: string,
  contextId: string,
  rawParameters: Record<string, unknown>,
  session?: string,
): Promise<OperationOutput> {
  const { output } = await runOperation(operationById(operationId), {
    rawParameters,
    rawSession: session,
    rawContext: contextId,
    sessionField: 'Session',
    contextField: 'Context',
    getClient: () => client,
    progress: () => undefined,
  });
  return output;
}

/** A file uploaded into a context through its presigned upload URL, as users do. */
export async function uploadToContext(client: AgentBayClient, contextId: string, filePath: string, content: Buffer): Promise<void> {
  const { url } = (await runOnContext(client, 'getFileUploadUrl', contextId, { filePath })).json;
  await axios.put(String(url), content);
}
