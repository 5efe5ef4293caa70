import { AgentBayError } from '../../client/errors';
import { parseContextStatus } from '../context-sync';
import { SESSION_PATH_EXPECTED, SESSION_PATH_SCHEMA } from '../context-fields';
import { requestIdOutput } from '../common-parameters';
import { defineOperation } from '../define';
import { asRecord, str } from '../session-api';

export const getContextSyncStatus = defineOperation({
  id: 'getContextSyncStatus',
  displayName: 'Get Context Sync Status',
  summary: 'Reports the state of each context sync task of a session: pending, running, success or failed.',
  details: [
    'Sends GetContextInfo (the SDK\'s `session.context.info`) and lists the session\'s sync tasks, the latest per context, path and direction, with each failure\'s message.',
    'The Context field narrows the list to one context (by default the context on the message; empty it for every context); **Path** and **Task Type** narrow it further.',
  ].join('\n\n'),
  session: 'required',
  context: 'optional',
  parameters: [
    {
      name: 'path',
      displayName: 'Path',
      description: 'Only the tasks of this synced path. Empty for all paths.',
      kind: 'string',
      default: '',
      placeholder: '/home/wuying/data',
      schema: SESSION_PATH_SCHEMA,
      expected: SESSION_PATH_EXPECTED,
    },
    {
      name: 'taskType',
      displayName: 'Task Type',
      description: 'Only uploads or only downloads.',
      kind: 'options',
      default: '',
      options: [
        { name: 'Any', value: '' },
        { name: 'Upload', value: 'upload' },
        { name: 'Download', value: 'download' },
      ],
      schema: { type: 'string', enum: ['', 'upload', 'download'] },
      expected: 'upload, download, or empty for any',
    },
  ],
  outputs: [
    { name: 'tasks', type: 'object[]', description: 'One {contextId, path, status, errorMessage, taskType} per task; status is Pending, Running, Success or Failed.' },
    { name: 'count', type: 'number', description: 'Number of tasks.' },
    { name: 'finished', type: 'boolean', description: 'Whether every task is Success or Failed (true when there is none).' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const taskType = input.taskType === 'upload' || input.taskType === 'download' ? input.taskType : undefined;
    let envelope;
    try {
      envelope = await context.client.call(
        'GetContextInfo',
        { SessionId: context.session.sessionId, ContextId: context.contextRef?.contextId, Path: input.path || undefined, TaskType: taskType },
        { signal: context.signal },
      );
    } catch (error) {
      if (!(error instanceof AgentBayError) || error.code === 'Aborted') throw error;
      throw new AgentBayError(`Failed to get context info: ${error.message}`, { code: error.code, requestId: error.requestId, httpStatus: error.httpStatus });
    }
    const tasks = parseContextStatus(asRecord(envelope.Data).ContextStatus);
    return {
      json: {
        tasks,
        count: tasks.length,
        finished: tasks.every((task) => task.status === 'Success' || task.status === 'Failed'),
        requestId: str(envelope.RequestId),
      },
    };
  },
});
