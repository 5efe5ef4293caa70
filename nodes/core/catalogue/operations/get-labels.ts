import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError } from '../../client/errors';
import { asRecord, str } from '../session-api';
import { sessionCallError } from './session-helpers';
import type { OperationContext } from '../types';

export const getLabels = defineOperation({
  id: 'getLabels',
  displayName: 'Get Labels',
  summary: 'Returns the labels of a session as an object.',
  details: [
    'Reads the session’s labels with GetLabel, as the SDK’s `session.getLabels()` does. A session without labels gives `{}`.',
    'Failures read `Failed to get labels for session <id>: ...`, e.g. `... Session <id> not found` for a deleted session.',
  ].join('\n\n'),
  session: 'required',
  parameters: [],
  outputs: [
    { name: 'labels', type: 'object', description: 'The session’s labels (string keys to string values).' },
    requestIdOutput,
  ],
  async execute(context) {
    return { json: await readSessionLabels(context, context.session.sessionId) };
  },
});

/** GetLabel for `sessionId`, parsed; failures read `<prefix>...` (Get Labels' own by default). */
export async function readSessionLabels(
  context: OperationContext,
  sessionId: string,
  prefix = `Failed to get labels for session ${sessionId}: `,
): Promise<{ labels: Record<string, unknown>; requestId: string }> {
  let envelope;
  try {
    envelope = await context.client.call('GetLabel', { SessionId: sessionId }, { signal: context.signal });
  } catch (error) {
    throw sessionCallError(error, sessionId, prefix);
  }
  const requestId = str(envelope.RequestId);
  const raw = asRecord(envelope.Data).Labels;
  let labels: unknown = {};
  if (typeof raw === 'string' && raw !== '') {
    try {
      labels = JSON.parse(raw);
    } catch (error) {
      throw new AgentBayError(`${prefix}${error instanceof Error ? error.message : String(error)}`, {
        code: 'InvalidResponse',
        requestId,
      });
    }
  }
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new AgentBayError(`${prefix}Labels is not a JSON object: ${str(raw).slice(0, 80)}`, { code: 'InvalidResponse', requestId });
  }
  return { labels: labels as Record<string, unknown>, requestId };
}
