/**
 * The one context-sync poller: reads `GetContextInfo`'s `ContextStatus` (a JSON string holding
 * `[{type:"data", data:"<JSON array of tasks>"}]`, docs/protocol.md §3.2) and waits until every task
 * that counts is `Success` or `Failed`. Create Session waits for the contexts it mounted (docs/protocol.md §4.1
 * step 6); Delete Session waits for the upload it asked for (`context.sync()`, docs/protocol.md §4.3). Each keeps
 * the SDK's own wait parameters.
 */
import { AgentBayError } from '../client/errors';
import { asRecord, str } from './session-api';
import type { OperationContext } from './types';
import { runtimeText, type RuntimeText } from './runtime-texts';

export interface ContextTask {
  contextId: string;
  path: string;
  status: string;
  errorMessage: string;
  taskType: string;
}

/** At most 100 tasks are read from one answer; a session mounts a handful. */
const MAX_TASKS = 100;

/** The tasks of a `ContextStatus` string; unreadable text gives none (the SDK logs it and goes on). */
export function parseContextStatus(raw: unknown): ContextTask[] {
  if (typeof raw !== 'string' || raw === '') return [];
  const tasks: ContextTask[] = [];
  try {
    const groups: unknown = JSON.parse(raw);
    for (const group of Array.isArray(groups) ? groups : []) {
      const record = asRecord(group);
      if (record.type !== 'data') continue;
      const items: unknown = typeof record.data === 'string' ? JSON.parse(record.data) : record.data;
      for (const item of Array.isArray(items) ? items : []) {
        if (tasks.length >= MAX_TASKS) return tasks;
        const task = asRecord(item);
        tasks.push({
          contextId: str(task.contextId),
          path: str(task.path),
          status: str(task.status),
          errorMessage: str(task.errorMessage),
          taskType: str(task.taskType),
        });
      }
    }
  } catch {
    return [];
  }
  return tasks;
}

const isSettled = (task: ContextTask): boolean => task.status === 'Success' || task.status === 'Failed';

/** Whether every task that the wait counts is `Success` or `Failed` (true when there is none). */
export function syncSettled(tasks: readonly ContextTask[], wait: Pick<ContextSyncWait, 'taskTypes'>): boolean {
  const counted = wait.taskTypes ? tasks.filter((task) => wait.taskTypes?.includes(task.taskType)) : tasks;
  return counted.every(isSettled);
}

export interface ContextSyncWait {
  /** Checks at most this many times (Infinity: until `timeoutMs`); the first check is immediate. */
  tries: number;
  /** Delay after the first check, multiplied by `factor` after each further one, up to `maxMs`. */
  firstMs: number;
  factor: number;
  maxMs: number;
  /** Only tasks of these types count (sync counts `upload`/`download`); all when absent. */
  taskTypes?: readonly string[];
  /** A failed GetContextInfo: keep polling (create, as the SDK) or stop waiting (sync). */
  onError: 'keep polling' | 'stop';
  /** Also stop once this much time has passed (Create Session's *Context Sync Wait*). */
  timeoutMs?: number;
  /** What the progress text calls the wait (`context sync`). */
  label?: string | RuntimeText;
  /** Ask only about this context and path (`info(contextId, path)` after `sync(contextId, path)`). */
  contextId?: string;
  path?: string;
}

/** The SDK's create-time wait: 50 tries, 0.5 s growing by 1.1 up to 5 s (docs/protocol.md §4.1 step 6). */
export const CREATE_CONTEXT_WAIT: ContextSyncWait = { tries: 50, firstMs: 500, factor: 1.1, maxMs: 5000, onError: 'keep polling' };

/** `context.sync()`'s wait: 150 tries every 1.5 s, upload and download tasks only (docs/protocol.md §4.3). */
export const SYNC_CONTEXT_WAIT: ContextSyncWait = {
  tries: 150,
  firstMs: 1500,
  factor: 1,
  maxMs: 1500,
  taskTypes: ['upload', 'download'],
  onError: 'stop',
};

/** File transfer waits for one task: this context, path and type (docs/protocol.md §4.3, the SDK's `waitForTask`). */
export interface ContextTaskFilter {
  contextId: string;
  path: string;
  taskType: 'upload' | 'download';
}

function elapsedProgress(label: string | RuntimeText, done: { settled: number; counted: number } | undefined, elapsed: number, total: number): RuntimeText {
  return done ? runtimeText('syncWaitProgress', { label, ...done, elapsed, total }) : runtimeText('syncWaitElapsed', { label, elapsed, total });
}

/** File transfer's wait: every 1.5 s as the SDK, up to `timeoutMs`; the task must appear and settle. */
export function fileTransferWait(timeoutMs: number): ContextSyncWait {
  return { tries: Math.max(1, Math.ceil(timeoutMs / 1500) + 1), firstMs: 1500, factor: 1, maxMs: 1500, onError: 'keep polling' };
}

/**
 * Polls until every counted task is settled (or there is none), then returns the last tasks read;
 * running out of tries returns them too. Never fails the operation, except when it is aborted.
 * With a `filter`, GetContextInfo is asked for that task only, and only a settled matching task ends
 * the wait (none yet keeps it going: the service may list the task only once it starts).
 */
export async function waitForContextSync(
  context: OperationContext,
  sessionId: string,
  wait: ContextSyncWait,
  filter?: ContextTaskFilter,
): Promise<ContextTask[]> {
  let delay = wait.firstMs;
  let last: ContextTask[] = [];
  const request = filter
    ? { SessionId: sessionId, ContextId: filter.contextId, Path: filter.path, TaskType: filter.taskType }
    : { SessionId: sessionId, ContextId: wait.contextId, Path: wait.path };
  const deadline = wait.timeoutMs === undefined ? Infinity : context.clock.now().getTime() + wait.timeoutMs;
  const label = wait.label ?? runtimeText('contextSync');
  for (let attempt = 1; attempt <= wait.tries; attempt++) {
    let done: { settled: number; counted: number } | undefined;
    try {
      const envelope = await context.client.call('GetContextInfo', request, { signal: context.signal });
      last = parseContextStatus(asRecord(envelope.Data).ContextStatus);
      if (filter) {
        last = last.filter((task) => task.contextId === filter.contextId && task.path === filter.path && task.taskType === filter.taskType);
        if (last.length > 0 && last.every(isSettled)) return last;
      } else if (syncSettled(last, wait)) return last;
      const counted = wait.taskTypes ? last.filter((task) => wait.taskTypes?.includes(task.taskType)) : last;
      done = { settled: counted.filter(isSettled).length, counted: counted.length };
    } catch (error) {
      if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
      if (wait.onError === 'stop') return last;
    }
    const remainingMs = deadline - context.clock.now().getTime();
    if (attempt === wait.tries || remainingMs <= 0) break;
    context.progress(
      wait.timeoutMs === undefined
        ? runtimeText('waitingForTries', { label, attempt, tries: wait.tries })
        : // Short enough for a Node-RED status (40 characters).
          elapsedProgress(label, done, Math.round((wait.timeoutMs - remainingMs) / 1000), Math.round(wait.timeoutMs / 1000)),
    );
    await context.clock.sleep(Math.min(delay, remainingMs), context.signal);
    delay = Math.min(delay * wait.factor, wait.maxMs);
  }
  return last;
}
