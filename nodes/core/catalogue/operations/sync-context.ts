import { InputValidationError } from '../../client/errors';
import { failUnlessSuccessful, SESSION_PATH_EXPECTED, SESSION_PATH_SCHEMA } from '../context-fields';
import { SYNC_CONTEXT_WAIT, syncSettled, waitForContextSync } from '../context-sync';
import { requestIdOutput, timeoutSecondsParameter, waitParameter } from '../common-parameters';
import { defineOperation } from '../define';
import { str } from '../session-api';

const MAX_WAIT_SECONDS = 3600;
/** The SDK's bound: 150 checks 1.5 s apart. */
const DEFAULT_WAIT_SECONDS = (SYNC_CONTEXT_WAIT.tries * SYNC_CONTEXT_WAIT.firstMs) / 1000;

export const syncContext = defineOperation({
  id: 'syncContext',
  displayName: 'Sync Context',
  summary: 'Uploads a session\'s files to its persistent contexts, or downloads them into the session, and waits for it.',
  details: [
    'Sends SyncContext (the SDK\'s `session.context.sync`). **Scope** *This Context* syncs the context of the Context field at **Path**: the path the session syncs it at, or a file or folder below it. *All Contexts of the Session* syncs every context the session was created with.',
    `With **Wait for Sync** (the default) the node then checks GetContextInfo every ${SYNC_CONTEXT_WAIT.firstMs / 1000} s, as the SDK does, until every upload and download task is \`Success\` or \`Failed\`, for at most **Wait Timeout** seconds (default ${DEFAULT_WAIT_SECONDS}). \`finished\` tells whether it ended in time; \`success\` whether no task failed. Running out of time is not an error (the sync goes on in the service): the node shows a notice instead.`,
  ].join('\n\n'),
  session: 'required',
  context: 'optional',
  parameters: [
    {
      name: 'scope',
      displayName: 'Scope',
      description: 'Whether to sync one context at one path, or every context of the session.',
      kind: 'options',
      default: 'context',
      options: [
        { name: 'This Context', value: 'context', description: 'The context of the Context field, at Path' },
        { name: 'All Contexts of the Session', value: 'all', description: 'Every context the session was created with' },
      ],
      schema: { type: 'string', enum: ['context', 'all'] },
      expected: 'context or all',
    },
    {
      name: 'path',
      displayName: 'Path',
      description: 'The session path the context is synced at, or a file or folder below it.',
      kind: 'string',
      default: '',
      placeholder: '/home/wuying/data',
      showWhen: { scope: ['context'] },
      schema: SESSION_PATH_SCHEMA,
      expected: SESSION_PATH_EXPECTED,
    },
    {
      name: 'mode',
      displayName: 'Direction',
      description: 'Upload the session\'s files into the context, or download the context\'s files into the session.',
      kind: 'options',
      default: 'upload',
      options: [
        { name: 'Upload', value: 'upload', description: 'Session files to the context' },
        { name: 'Download', value: 'download', description: 'Context files into the session' },
      ],
      schema: { type: 'string', enum: ['upload', 'download'] },
      expected: 'upload or download',
    },
    waitParameter('waitForSync', 'Wait for Sync', 'Whether to wait until the sync has finished.'),
    timeoutSecondsParameter('waitTimeoutSeconds', 'Wait Timeout', 'How many seconds to wait for the sync at most.', DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS),
  ],
  outputs: [
    { name: 'success', type: 'boolean', description: 'Whether the sync finished with no failed task (false when not waiting).' },
    { name: 'finished', type: 'boolean', description: 'Whether every task had finished when the node stopped waiting.' },
    { name: 'tasks', type: 'object[]', description: 'The sync tasks last read: {contextId, path, status, errorMessage, taskType}.' },
    { name: 'mode', type: 'string', description: 'upload or download.' },
    { name: 'contextId', type: 'string', description: 'The synced context; empty for all contexts.' },
    { name: 'path', type: 'string', description: 'The synced path; empty for all contexts.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const one = input.scope !== 'all';
    const contextId = one ? context.contextRef?.contextId : undefined;
    const path = one ? input.path : undefined;
    if (one && !contextId) {
      throw new InputValidationError('Context', 'a context', 'Context is empty: with Scope This Context, put a Get Context node before this one or set Context; or choose All Contexts of the Session');
    }
    if (one && !path) {
      throw new InputValidationError('path', SESSION_PATH_EXPECTED, `Path (path) is required with Scope This Context: expected ${SESSION_PATH_EXPECTED}`);
    }
    const sessionId = context.session.sessionId;
    const envelope = await context.client.call(
      'SyncContext',
      { SessionId: sessionId, ContextId: contextId, Path: path, Mode: input.mode },
      { signal: context.signal },
    );
    failUnlessSuccessful(envelope, 'Unknown error');
    const requestId = str(envelope.RequestId);
    const base = { mode: input.mode, contextId: contextId ?? '', path: path ?? '', requestId };
    if (input.waitForSync === false) return { json: { success: false, finished: false, tasks: [], ...base } };

    const timeoutSeconds = input.waitTimeoutSeconds;
    const tries = Math.max(1, Math.ceil((timeoutSeconds * 1000) / SYNC_CONTEXT_WAIT.firstMs));
    const tasks = await waitForContextSync(context, sessionId, { ...SYNC_CONTEXT_WAIT, tries, contextId, path });
    const counted = tasks.filter((task) => SYNC_CONTEXT_WAIT.taskTypes?.includes(task.taskType));
    const finished = syncSettled(tasks, SYNC_CONTEXT_WAIT);
    const success = finished && counted.every((task) => task.status === 'Success');
    return {
      json: { success, finished, tasks: counted, ...base },
      notice: finished ? undefined : `sync still running after ${timeoutSeconds} s`,
    };
  },
});
