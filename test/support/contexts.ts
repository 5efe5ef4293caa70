/**
 * Helpers for the context tests: the package's client against a real local server (real
 * sandboxes), tool calls, and polling GetContextInfo until the tasks settle.
 */
import { strict as assert } from 'node:assert';
import type { AgentBayClient } from '../../nodes/core/client/client';
import { AgentBayError } from '../../nodes/core/client/errors';
import { waitFor } from './wait';

export interface Task {
  contextId: string;
  path: string;
  errorMessage: string;
  status: string;
  startTime: number;
  finishTime: number;
  taskType: string;
}

export async function makeContext(client: AgentBayClient, name: string): Promise<string> {
  const res = await client.call('GetContext', { Name: name, AllowCreate: 'true' });
  const id = String((res.Data as { Id: string }).Id);
  assert.match(id, /^SdkCtx-[a-z0-9]{17}$/);
  return id;
}

export async function createSessionWith(client: AgentBayClient, items: Array<{ ContextId: string; Path: string; Policy?: string }>): Promise<string> {
  const res = await client.call('CreateMcpSession', { ImageId: 'linux_latest', PersistenceDataList: JSON.stringify(items) });
  return String((res.Data as { SessionId: string }).SessionId);
}

export async function tool(client: AgentBayClient, sessionId: string, name: string, args: Record<string, unknown>): Promise<string> {
  const res = await client.call('CallMcpTool', { SessionId: sessionId, Name: name, Args: JSON.stringify(args), Server: '', AutoGenSession: false });
  const data = res.Data as { content: Array<{ text: string }>; isError: boolean };
  assert.equal(data.isError, false, `${name} failed: ${data.content[0]?.text}`);
  return data.content[0]?.text ?? '';
}

export async function contextTasks(client: AgentBayClient, sessionId: string, filter: Record<string, string> = {}): Promise<Task[]> {
  const res = await client.call('GetContextInfo', { SessionId: sessionId, ...filter });
  const text = (res.Data as { ContextStatus: string }).ContextStatus;
  assert.equal(typeof text, 'string', 'ContextStatus is a JSON string');
  const outer = JSON.parse(text) as Array<{ type: string; data: string }>;
  return outer.filter((item) => item.type === 'data').flatMap((item) => JSON.parse(item.data) as Task[]);
}

/** Polls (every 100 ms, at most 30 s) until no task is Pending or Running; returns the tasks. */
export async function settled(client: AgentBayClient, sessionId: string, filter: Record<string, string> = {}): Promise<Task[]> {
  return waitFor(
    async () => {
      const tasks = await contextTasks(client, sessionId, filter);
      return tasks.every((t) => t.status === 'Success' || t.status === 'Failed') && tasks;
    },
    30_000,
    'the context tasks to settle',
    100,
  );
}

/** Deletes a session and waits until the server has forgotten it (its uploads are done by then). */
export async function deleteAndWait(client: AgentBayClient, sessionId: string): Promise<void> {
  await client.call('DeleteSessionAsync', { SessionId: sessionId });
  await waitFor(
    async () => {
      try {
        // A deleted session stays queryable for a while, as on the service: FINISH means done.
        const detail = await client.call('GetSessionDetail', { SessionId: sessionId });
        return (detail.Data as { Status?: unknown } | undefined)?.Status === 'FINISH';
      } catch (err) {
        if (err instanceof AgentBayError && err.code.includes('NotFound')) return true;
        throw err;
      }
    },
    30_000,
    `session ${sessionId} to be deleted`,
    100,
  );
}

export async function expectError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof AgentBayError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}
