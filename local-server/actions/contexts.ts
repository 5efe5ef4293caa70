/**
 * GetContextInfo (docs/protocol.md §3.2), enough for the SDK's create-time wait. Sessions created without
 * PersistenceDataList answer `ContextStatus: "[]"` (the wait ends at once). With it, one
 * download task per item is reported in progress, then `Success` after a short delay. No data is
 * actually synchronised yet: contexts are a later feature.
 */
import { compileParams, sessionIdField } from '../protocol/validate';
import { defineAction } from './types';

interface ContextInfoParams {
  SessionId: string;
  ContextId?: string;
  Path?: string;
  TaskType?: string;
}

const validate = compileParams<ContextInfoParams>({
  SessionId: sessionIdField,
  ContextId: { schema: { type: 'string' }, expect: 'a context id' },
  Path: { schema: { type: 'string' }, expect: 'a path inside the session' },
  TaskType: { schema: { type: 'string', enum: ['upload', 'download'] }, expect: '"upload" or "download"' },
});

export const getContextInfo = defineAction('GetContextInfo', validate, (ctx, p) => {
  const session = ctx.store.get(p.SessionId);
  const done = Date.now() >= session.contextReadyAt;
  const seconds = (ms: number): number => Math.floor(ms / 1000);
  const tasks = session.persistence
    .filter((item) => (p.ContextId === undefined || item.ContextId === p.ContextId) && (p.Path === undefined || item.Path === p.Path))
    .map((item) => ({
      contextId: item.ContextId,
      path: item.Path,
      errorMessage: '',
      status: done ? 'Success' : 'InProgress',
      startTime: seconds(session.createdAt),
      finishTime: done ? seconds(session.contextReadyAt) : 0,
      taskType: 'download',
    }))
    .filter((task) => p.TaskType === undefined || task.taskType === p.TaskType);
  // Doubly encoded: ContextStatus is a JSON string whose items carry `data`, itself a JSON string.
  const contextStatus = tasks.length === 0 ? '[]' : JSON.stringify([{ type: 'data', data: JSON.stringify(tasks) }]);
  return { data: { ContextStatus: contextStatus } };
});
