import { AgentBayError } from '../../client/errors';
import { fetchContext } from '../context';
import { failUnlessSuccessful } from '../context-fields';
import { lastRequestIdOutput, timeoutSecondsParameter, waitParameter } from '../common-parameters';
import { defineOperation } from '../define';
import { pollUntil } from '../polling';
import { str } from '../session-api';
import { runtimeText } from '../runtime-texts';

/** The SDK's `clear()` polls every 2 s (docs/protocol.md §4.4). */
export const CLEAR_POLL_MS = 2000;
const MAX_WAIT_SECONDS = 3600;

export const clearContext = defineOperation({
  id: 'clearContext',
  displayName: 'Clear Context',
  summary: 'Deletes every file of a persistent context but keeps the context, optionally waiting until it is done.',
  details: [
    'Sends ClearContext (the SDK\'s `context.clearAsync`); the context\'s state becomes `clearing`, and `available` again once its files are gone.',
    `With **Wait for Clear** (the default) the node then checks the state with GetContext every ${CLEAR_POLL_MS / 1000} s, as the SDK's \`context.clear\` does, showing how long it has waited, until the context is \`available\`. After **Wait Timeout** seconds it fails with \`Context clearing timed out after <s> seconds\` (code \`WaitTimeout\`); the clearing goes on in the service. Without waiting, the result's \`state\` is \`clearing\`.`,
  ].join('\n\n'),
  session: 'none',
  context: 'required',
  parameters: [
    waitParameter('waitForClear', 'Wait for Clear', 'Whether to wait until the context is available again.'),
    timeoutSecondsParameter('waitTimeoutSeconds', 'Wait Timeout', 'How many seconds to wait for the clearing at most.', 60, MAX_WAIT_SECONDS),
  ],
  outputs: [
    { name: 'contextId', type: 'string', description: 'ID of the context.' },
    { name: 'state', type: 'string', description: 'available once cleared; clearing when not waiting.' },
    { name: 'cleared', type: 'boolean', description: 'Whether the clearing has finished.' },
    lastRequestIdOutput,
  ],
  async execute(context, input) {
    const contextId = context.contextRef.contextId;
    let requestId: string;
    try {
      const envelope = await context.client.call('ClearContext', { Id: contextId }, { signal: context.signal });
      failUnlessSuccessful(envelope, 'Unknown error');
      requestId = str(envelope.RequestId);
    } catch (error) {
      if (!(error instanceof AgentBayError) || error.code === 'Aborted') throw error;
      throw new AgentBayError(`Failed to start context clearing for ${contextId}: ${error.message}`, {
        code: error.code,
        requestId: error.requestId,
        httpStatus: error.httpStatus,
      });
    }
    if (input.waitForClear === false) return { json: { contextId, state: 'clearing', cleared: false, requestId } };

    const timeoutSeconds = input.waitTimeoutSeconds;
    try {
      const state = await pollUntil({
        clock: context.clock,
        // A bound shorter than the SDK's interval still gets one check at its end.
        intervalMs: Math.min(CLEAR_POLL_MS, timeoutSeconds * 1000),
        timeoutMs: timeoutSeconds * 1000,
        label: runtimeText('contextToBeCleared', { contextId }),
        progress: context.progress,
        signal: context.signal,
        check: async () => {
          const fetched = await fetchContext(context.client, { contextId }, { signal: context.signal });
          requestId = fetched.requestId;
          const current = fetched.context.state || 'clearing';
          return current === 'available' ? current : undefined;
        },
      });
      return { json: { contextId, state, cleared: true, requestId } };
    } catch (error) {
      if (error instanceof AgentBayError && error.code === 'WaitTimeout') {
        throw new AgentBayError(`Context clearing timed out after ${timeoutSeconds} seconds: context ${contextId} is still clearing`, {
          code: 'WaitTimeout',
          requestId,
        });
      }
      throw error;
    }
  },
});
