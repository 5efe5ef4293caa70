/** Pause Session and Resume Session share everything but the action and the states. */
import { timeoutSecondsParameter, waitParameter } from '../common-parameters';
import { defineOperation } from '../define';
import { runTransition, type TransitionSpec } from './session-helpers';

export const DEFAULT_POLL_INTERVAL_S = 2;
export const DEFAULT_WAIT_TIMEOUT_S = 600;

interface TransitionOperation {
  id: string;
  displayName: string;
  summary: string;
  details: string[];
  spec: TransitionSpec;
}

export function transitionOperation(definition: TransitionOperation) {
  const { spec } = definition;
  return defineOperation({
    id: definition.id,
    displayName: definition.displayName,
    summary: definition.summary,
    details: [
      ...definition.details,
      `With **Wait** on (the default) the node then checks the state every **Poll Interval** seconds (${DEFAULT_POLL_INTERVAL_S} s by default) until it is ${spec.target}, up to the **Wait Timeout** (${DEFAULT_WAIT_TIMEOUT_S} s), as the SDK does, and shows that it is waiting. ${spec.transitional} means "still working"; any other state fails with \`Session ${spec.verb} failed: unexpected state '<state>' after <ms>ms\`, and running out of time with \`Session ${spec.verb} timed out after <ms>ms\`.`,
      `Without waiting, the node returns as soon as the service accepted the request, with status ${spec.transitional}.`,
      'The session on the message is passed on unchanged.',
    ].join('\n\n'),
    session: 'required',
    parameters: [
      waitParameter('wait', 'Wait', `Whether to wait until the session is ${spec.target}.`),
      {
        ...timeoutSecondsParameter('waitTimeoutS', 'Wait Timeout (Seconds)', `How long to wait for the session to be ${spec.target}.`, DEFAULT_WAIT_TIMEOUT_S, 3600),
        showWhen: { wait: [true] },
      },
      {
        name: 'pollIntervalS',
        displayName: 'Poll Interval (Seconds)',
        description: 'Seconds between two checks of the session state while waiting.',
        kind: 'number',
        default: DEFAULT_POLL_INTERVAL_S,
        advanced: true,
        showWhen: { wait: [true] },
        schema: { type: 'number', minimum: 0.05, maximum: 60 },
        expected: 'a number of seconds from 0.05 to 60',
      },
    ],
    outputs: [
      { name: 'sessionId', type: 'string', description: 'ID of the session.' },
      { name: 'status', type: 'string', description: `${spec.target} once done; ${spec.transitional} when not waiting.` },
      { name: 'requestId', type: 'string', description: `ID of the ${spec.action} request.` },
    ],
    async execute(context, input) {
      const result = await runTransition(context, spec, {
        wait: input.wait !== false,
        intervalMs: (input.pollIntervalS ?? DEFAULT_POLL_INTERVAL_S) * 1000,
        timeoutMs: (input.waitTimeoutS ?? DEFAULT_WAIT_TIMEOUT_S) * 1000,
      });
      return { json: { sessionId: result.sessionId, status: result.status, requestId: result.requestId } };
    },
  });
}
