/**
 * The context Actions of a session (docs/protocol.md §3.2, §4.3): GetContextInfo reports its sync
 * tasks as they really are, SyncContext queues uploads or downloads, GetAndLoadInternalContext
 * (a GET in the cloud API) hands out the session's file-transfer context.
 */
import { compileParams, sessionIdField } from '../protocol/validate';
import { defineAction } from './types';

interface ContextInfoParams {
  SessionId: string;
  ContextId?: string;
  Path?: string;
  TaskType?: string;
}

export const getContextInfo = defineAction(
  'GetContextInfo',
  compileParams<ContextInfoParams>({
    SessionId: sessionIdField,
    ContextId: { schema: { type: 'string', maxLength: 64 }, expect: 'a context id' },
    Path: { schema: { type: 'string', maxLength: 1024 }, expect: 'a path inside the session' },
    TaskType: { schema: { type: 'string', enum: ['upload', 'download'] }, expect: '"upload" or "download"' },
  }),
  (ctx, p) => {
    const session = ctx.store.get(p.SessionId);
    const tasks = ctx.contexts.syncs.tasks(session.id, { contextId: p.ContextId, path: p.Path, taskType: p.TaskType });
    // Doubly encoded: ContextStatus is a JSON string whose items carry `data`, itself a JSON string.
    const contextStatus = tasks.length === 0 ? '[]' : JSON.stringify([{ type: 'data', data: JSON.stringify(tasks) }]);
    return { data: { ContextStatus: contextStatus } };
  },
);

interface SyncParams {
  SessionId: string;
  ContextId?: string;
  Path?: string;
  Mode?: 'upload' | 'download';
}

export const syncContext = defineAction(
  'SyncContext',
  compileParams<SyncParams>({
    SessionId: sessionIdField,
    ContextId: { schema: { type: 'string', maxLength: 64 }, expect: 'a context id synced in the session' },
    Path: { schema: { type: 'string', maxLength: 1024 }, expect: 'an absolute path inside the session (/home/wuying/... or /tmp/...)' },
    Mode: { schema: { type: 'string', enum: ['upload', 'download'] }, expect: '"upload" or "download" (default upload)' },
  }),
  (ctx, p) => {
    const session = ctx.store.getActive(p.SessionId);
    ctx.contexts.syncs.sync(session.id, p.Mode ?? 'upload', p.ContextId, p.Path);
    return {};
  },
);

export const getAndLoadInternalContext = defineAction(
  'GetAndLoadInternalContext',
  compileParams<{ SessionId: string; 'ContextTypes.1'?: string }>({
    SessionId: sessionIdField,
    'ContextTypes.1': { schema: { type: 'string', enum: ['file_transfer'] }, expect: '"file_transfer"' },
  }),
  async (ctx, p) => {
    const session = ctx.store.getActive(p.SessionId);
    const { context, path } = await ctx.contexts.syncs.internalContext(session.id);
    return { data: [{ ContextId: context.id, ContextPath: path, ContextType: 'file_transfer' }] };
  },
  { methods: ['GET', 'POST'] },
);
