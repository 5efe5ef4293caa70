/**
 * Context syncs of sessions (docs/protocol.md §3.2 "Sync rules"): the bindings each session got
 * from PersistenceDataList, its file-transfer context, and its sync tasks. Tasks of one session run
 * one at a time in order; GetContextInfo reports the latest task per (context, path, type) as
 * `Pending`, `Running`, `Success` or `Failed` (with `errorMessage`).
 *
 * - Create: one download per binding whose policy has autoDownload.
 * - SyncContext: upload (the default) or download, of one binding (or a path below it) or of all.
 * - Delete: the server waits for queued tasks, then uploads every binding whose policy has
 *   autoUpload (the cloud's "upload before resource release"), before the workspace goes.
 */
import { mkdir } from 'node:fs/promises';
import { SessionPaths, type SessionWorkspace } from '../sandbox';
import { invalidParameter } from '../protocol/errors';
import { isUnder, sessionSyncPath } from './paths';
import { parseSyncPolicy, DEFAULT_RULES, type SyncRules } from './policy';
import { contextNotFound, type ContextRecord, type ContextStore } from './store';
import { download, TransferError, upload, type TransferSpec } from './transfer';

export type TaskType = 'upload' | 'download';
export type TaskStatus = 'Pending' | 'Running' | 'Success' | 'Failed';

/** One entry of GetContextInfo's inner `data` array, in the SDK's field names. */
export interface SyncTask {
  contextId: string;
  path: string;
  errorMessage: string;
  status: TaskStatus;
  /** Unix seconds; 0 until the task starts / finishes. */
  startTime: number;
  finishTime: number;
  taskType: TaskType;
}

export interface Binding {
  readonly contextId: string;
  readonly path: string;
  readonly rules: SyncRules;
}

export interface PersistenceInput {
  ContextId: string;
  Path: string;
  Policy?: string;
}

/** Path of the file-transfer context inside each session (GetAndLoadInternalContext). */
export const FILE_TRANSFER_PATH = '/tmp/file_transfer';
const MAX_TASKS_KEPT = 512;

interface SessionSyncs {
  readonly workspace: SessionWorkspace;
  readonly bindings: Binding[];
  internal: ContextRecord | undefined;
  readonly tasks: Map<string, SyncTask>;
  queue: Promise<void>;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Validates PersistenceDataList items against the store before the session exists. */
export function parseBindings(store: ContextStore, items: readonly PersistenceInput[]): Binding[] {
  return items.map((item, i) => {
    const path = sessionSyncPath(item.Path, `PersistenceDataList[${i}].Path`);
    const context = store.find(item.ContextId);
    if (!context || context.internalFor !== undefined) {
      throw contextNotFound(`${item.ContextId} (PersistenceDataList[${i}].ContextId)`);
    }
    return { contextId: item.ContextId, path, rules: item.Policy ? parseSyncPolicy(item.Policy) : DEFAULT_RULES };
  });
}

export class ContextSyncs {
  private readonly sessions = new Map<string, SessionSyncs>();

  constructor(
    private readonly store: ContextStore,
    /** Each task reports Running for at least this long, so clients can observe it. */
    private readonly minTaskMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Registers a new session and queues its create-time downloads. */
  attach(sessionId: string, workspace: SessionWorkspace, bindings: Binding[]): void {
    const state: SessionSyncs = { workspace, bindings, internal: undefined, tasks: new Map(), queue: Promise.resolve() };
    this.sessions.set(sessionId, state);
    for (const b of bindings) {
      const context = this.store.find(b.contextId);
      if (context) this.store.touch(context);
      if (b.rules.autoDownload) this.enqueue(sessionId, state, 'download', b, b.path);
    }
  }

  bindings(sessionId: string): readonly Binding[] {
    return this.sessions.get(sessionId)?.bindings ?? [];
  }

  /** The session's file-transfer context and its folder in the session, made on first use. */
  async internalContext(sessionId: string): Promise<{ context: ContextRecord; path: string }> {
    const state = this.state(sessionId);
    if (!state.internal) {
      state.internal = this.store.create(`file-transfer-${sessionId}`, sessionId);
      const folder = await new SessionPaths(state.workspace.rootDir).resolve(FILE_TRANSFER_PATH);
      await mkdir(folder.host, { recursive: true });
    }
    return { context: state.internal, path: FILE_TRANSFER_PATH };
  }

  /** SyncContext: queues the tasks; the answer does not wait for them. */
  sync(sessionId: string, mode: TaskType, contextId: string | undefined, path: string | undefined): void {
    const state = this.state(sessionId);
    if ((contextId === undefined) !== (path === undefined)) {
      throw invalidParameter('Invalid parameters ContextId and Path: send both (one context and path) or neither (every synced context).');
    }
    if (contextId === undefined || path === undefined) {
      for (const b of state.bindings) this.enqueue(sessionId, state, mode, b, b.path);
      return;
    }
    const target = sessionSyncPath(path, 'Path');
    if (!this.store.find(contextId)) throw contextNotFound(contextId);
    const binding = this.bindingFor(state, contextId, target);
    if (!binding) {
      throw invalidParameter(`Invalid parameter Path: context ${contextId} is not synced at or above ${target} in this session.`);
    }
    this.enqueue(sessionId, state, mode, binding, target);
  }

  /** GetContextInfo's tasks, filtered as asked. */
  tasks(sessionId: string, filter: { contextId?: string; path?: string; taskType?: string }): SyncTask[] {
    const state = this.sessions.get(sessionId);
    if (!state) return [];
    return [...state.tasks.values()]
      .filter((t) => filter.contextId === undefined || t.contextId === filter.contextId)
      .filter((t) => filter.path === undefined || t.path === filter.path)
      .filter((t) => filter.taskType === undefined || t.taskType === filter.taskType)
      .map((t) => ({ ...t }));
  }

  /**
   * Before a session's workspace is destroyed: finish queued tasks, upload autoUpload bindings
   * (unless the session is torn down at shutdown), drop the file-transfer context.
   */
  async release(sessionId: string, uploadFirst: boolean): Promise<void> {
    const state = this.sessions.get(sessionId);
    if (!state) return;
    if (uploadFirst) {
      for (const b of state.bindings) if (b.rules.autoUpload) this.enqueue(sessionId, state, 'upload', b, b.path);
    }
    await state.queue;
    this.sessions.delete(sessionId);
    if (state.internal) await this.store.delete(state.internal).catch(() => undefined);
  }

  private state(sessionId: string): SessionSyncs {
    const state = this.sessions.get(sessionId);
    if (!state) throw new Error(`no sync state for session ${sessionId}`);
    return state;
  }

  private bindingFor(state: SessionSyncs, contextId: string, target: string): Binding | undefined {
    const bound = state.bindings.find((b) => b.contextId === contextId && isUnder(target, b.path));
    if (bound) return bound;
    if (state.internal?.id === contextId && isUnder(target, FILE_TRANSFER_PATH)) {
      return { contextId, path: FILE_TRANSFER_PATH, rules: DEFAULT_RULES };
    }
    return undefined;
  }

  private enqueue(sessionId: string, state: SessionSyncs, type: TaskType, binding: Binding, path: string): void {
    const task: SyncTask = { contextId: binding.contextId, path, errorMessage: '', status: 'Pending', startTime: 0, finishTime: 0, taskType: type };
    const key = `${binding.contextId}\n${path}\n${type}`;
    state.tasks.delete(key); // re-inserted last: the latest task per key, in order
    state.tasks.set(key, task);
    while (state.tasks.size > MAX_TASKS_KEPT) state.tasks.delete(state.tasks.keys().next().value as string);
    state.queue = state.queue.then(() => this.run(sessionId, state, task, binding));
  }

  private async run(sessionId: string, state: SessionSyncs, task: SyncTask, binding: Binding): Promise<void> {
    const started = Date.now();
    task.status = 'Running';
    task.startTime = seconds(started);
    try {
      const context = this.store.find(binding.contextId);
      if (!context) throw new TransferError(`The context ${binding.contextId} was deleted.`);
      if (context.state === 'clearing') throw new TransferError(`The context ${binding.contextId} is being cleared.`);
      const spec: TransferSpec = { context, path: task.path, root: binding.path, rules: binding.rules, sourcePrefix: binding.rules.mappingPath };
      await (task.taskType === 'upload' ? upload(this.store, state.workspace, spec) : download(this.store, state.workspace, spec));
      this.store.touch(context);
      await sleep(this.minTaskMs - (Date.now() - started));
      task.status = 'Success';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!(err instanceof TransferError)) this.log(`session ${sessionId}: ${task.taskType} of ${task.contextId} failed: ${message}`);
      task.status = 'Failed';
      task.errorMessage = message || 'The sync failed.';
    }
    task.finishTime = seconds(Date.now());
  }
}
