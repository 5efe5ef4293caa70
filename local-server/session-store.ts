/**
 * The sessions of the local server and their life cycle:
 *
 *   RUNNING --PauseSessionAsync--> PAUSING --> PAUSED --ResumeSessionAsync--> RESUMING --> RUNNING
 *   any state --DeleteSessionAsync / ReleaseMcpSession / idle reaper--> DELETING --> DELETED --> (gone)
 *
 * As on the cloud, a deleted session stays queryable for a while: once its workspace is destroyed it
 * is DELETED (a tombstone without a workspace) for `deletedRetentionMs`, then forgotten. Only the
 * status queries (GetSession, GetSessionDetail, ListSession) see a tombstone; every other action on
 * it answers InvalidMcpSession.NotFound, as for an unknown id. A session is never created implicitly.
 * Transitions and deletion run in the background after a short delay, so clients really observe
 * PAUSING / RESUMING / DELETING and must poll.
 */
import { ApiError, invalidSessionStatus, sessionNotFound } from './protocol/errors';
import { newAppInstanceId, newResourceId, newSessionId } from './ids';
import type { SessionWorkspace, WorkspaceFactory } from './sandbox/contract';

export type SessionStatus = 'RUNNING' | 'PAUSING' | 'PAUSED' | 'RESUMING' | 'DELETING' | 'DELETED';

export interface PersistenceItem {
  ContextId: string;
  Path: string;
  Policy?: string;
}

export interface CreateSessionInput {
  imageId: string;
  labels: Record<string, string>;
  persistence: PersistenceItem[];
  mcpPolicyId?: string;
  enableRecord?: boolean;
  extraConfigs?: unknown;
  sdkStats?: unknown;
  loginRegionId?: string;
  networkId?: string;
}

export interface SessionRecord extends CreateSessionInput {
  readonly id: string;
  /** Creation order; the ListSession cursor. */
  readonly seq: number;
  readonly appInstanceId: string;
  readonly resourceId: string;
  readonly createdAt: number;
  readonly workspace: SessionWorkspace;
  /** Aborted when deletion starts, so running tool calls stop. */
  readonly abort: AbortController;
  status: SessionStatus;
  lastActivity: number;
  inFlight: number;
}

/** What status queries show of a session: everything but its workspace. */
export type SessionView = Omit<SessionRecord, 'workspace' | 'abort'>;

/** A deleted session kept for status queries; it holds no workspace, so it costs little memory. */
export interface DeletedSession extends SessionView {
  status: 'DELETED';
  /** When its workspace was destroyed. */
  deletedAt: number;
}

export interface SessionStoreOptions {
  factory: WorkspaceFactory;
  /** 0 disables idle reaping. */
  idleTimeoutMs: number;
  deleteDelayMs: number;
  /** How long a deleted session stays queryable as DELETED; 0 forgets it at once. */
  deletedRetentionMs: number;
  transitionDelayMs: number;
  /** Runs before a session's workspace is destroyed (context uploads); its failure is logged. */
  beforeDestroy?: (record: SessionRecord) => Promise<void>;
  log: (line: string) => void;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Bounds the memory of tombstones whatever the retention: the oldest go first. */
const MAX_TOMBSTONES = 5_000;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  /** DELETED sessions, in deletion order (a Map iterates in insertion order), so expiry trims the front. */
  private readonly tombstones = new Map<string, DeletedSession>();
  private readonly background = new Set<Promise<void>>();
  private seq = 0;
  private reaper: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(private readonly options: SessionStoreOptions) {
    const idle = options.idleTimeoutMs;
    if (idle > 0) {
      const period = Math.min(Math.max(Math.floor(idle / 4), 20), 60_000);
      this.reaper = setInterval(() => this.reapIdle(), period);
      this.reaper.unref();
    }
  }

  /** Sessions whose workspace exists: DELETING ones included, DELETED tombstones not. */
  count(): number {
    return this.sessions.size;
  }

  async create(input: CreateSessionInput): Promise<SessionRecord> {
    if (this.closing) throw new ApiError('ServiceUnavailable', 'The local server is shutting down.', 503);
    const id = newSessionId();
    const workspace = await this.options.factory.create(id);
    if (this.closing) {
      await workspace.destroy();
      throw new ApiError('ServiceUnavailable', 'The local server is shutting down.', 503);
    }
    const now = Date.now();
    this.seq += 1;
    const record: SessionRecord = {
      ...input,
      id,
      seq: this.seq,
      appInstanceId: newAppInstanceId(),
      resourceId: newResourceId(),
      createdAt: now,
      workspace,
      abort: new AbortController(),
      status: 'RUNNING',
      lastActivity: now,
      inFlight: 0,
    };
    this.sessions.set(id, record);
    this.options.log(`session ${id} created (${workspace.isolation}, dir ${workspace.rootDir})`);
    return record;
  }

  /** Live sessions in creation order (a Map iterates in insertion order); no tombstones. */
  list(): SessionRecord[] {
    return [...this.sessions.values()];
  }

  /** DELETED sessions still within the retention window, in creation order. */
  listDeleted(): DeletedSession[] {
    this.expireTombstones();
    return [...this.tombstones.values()].sort((a, b) => a.seq - b.seq);
  }

  /** For status queries only: a live session or a DELETED tombstone. Not activity. */
  query(id: string): SessionRecord | DeletedSession {
    const live = this.sessions.get(id);
    if (live) {
      live.lastActivity = Date.now();
      return live;
    }
    this.expireTombstones();
    const tombstone = this.tombstones.get(id);
    if (!tombstone) throw sessionNotFound(id);
    return tombstone;
  }

  /** Any live session, DELETING included; counts as activity. A DELETED one is not found. */
  get(id: string): SessionRecord {
    const record = this.sessions.get(id);
    if (!record) throw sessionNotFound(id);
    record.lastActivity = Date.now();
    return record;
  }

  /** A session that still accepts work: a DELETING session is as good as gone. */
  getActive(id: string): SessionRecord {
    const record = this.get(id);
    if (record.status === 'DELETING') throw sessionNotFound(id, 'The specified session is being deleted.');
    return record;
  }

  /** Runs work for a session (a tool call) so that the idle reaper leaves it alone meanwhile. */
  async track<T>(record: SessionRecord, work: () => Promise<T>): Promise<T> {
    record.inFlight += 1;
    try {
      return await work();
    } finally {
      record.inFlight -= 1;
      record.lastActivity = Date.now();
    }
  }

  /** Starts deletion; repeating it on a DELETING session is accepted (idempotent). */
  delete(id: string): void {
    const record = this.get(id);
    if (record.status !== 'DELETING') this.beginDelete(record, this.options.deleteDelayMs, 'deleted');
  }

  pause(id: string): void {
    const record = this.getActive(id);
    if (record.status !== 'RUNNING') {
      throw invalidSessionStatus(`Session ${id} is ${record.status}; PauseSessionAsync needs a RUNNING session.`);
    }
    this.transition(record, 'PAUSING', 'PAUSED', 'RUNNING', () => record.workspace.pause());
  }

  resume(id: string): void {
    const record = this.getActive(id);
    if (record.status !== 'PAUSED') {
      throw invalidSessionStatus(`Session ${id} is ${record.status}; ResumeSessionAsync needs a PAUSED session.`);
    }
    this.transition(record, 'RESUMING', 'RUNNING', 'PAUSED', () => record.workspace.resume());
  }

  /** Deletes every session at once (no delay) and waits for all background work. */
  async closeAll(): Promise<void> {
    this.closing = true;
    if (this.reaper) clearInterval(this.reaper);
    for (const record of this.sessions.values()) {
      if (record.status !== 'DELETING') this.beginDelete(record, 0, 'destroyed at shutdown');
    }
    while (this.background.size > 0) await Promise.all([...this.background]);
    this.tombstones.clear();
  }

  /** Deletes sessions that had no request for idleTimeoutMs and run no tool call. */
  reapIdle(now = Date.now()): void {
    const idle = this.options.idleTimeoutMs;
    if (idle <= 0) return;
    for (const record of this.sessions.values()) {
      if (record.status === 'DELETING' || record.inFlight > 0) continue;
      if (now - record.lastActivity >= idle) this.beginDelete(record, 0, `reaped after ${idle} ms idle`);
    }
  }

  private beginDelete(record: SessionRecord, delayMs: number, reason: string): void {
    record.status = 'DELETING';
    record.abort.abort();
    this.runInBackground(async () => {
      try {
        await this.options.beforeDestroy?.(record).catch((err: unknown) =>
          this.options.log(`session ${record.id}: releasing its contexts failed: ${errorText(err)}`));
        await Promise.all([record.workspace.destroy(), sleep(delayMs)]);
        this.options.log(`session ${record.id} ${reason}`);
      } catch (err) {
        this.options.log(`session ${record.id}: destroying the workspace failed: ${errorText(err)}`);
      } finally {
        this.sessions.delete(record.id);
        this.entomb(record);
      }
    });
  }

  private entomb(record: SessionRecord): void {
    if (this.options.deletedRetentionMs <= 0 || this.closing) return;
    // Only what the status queries show: no workspace, and not the create's free-form blobs (up to the body limit each).
    const { workspace: _workspace, abort: _abort, extraConfigs: _extra, sdkStats: _stats, ...view } = record;
    this.tombstones.set(record.id, { ...view, status: 'DELETED', deletedAt: Date.now() });
    while (this.tombstones.size > MAX_TOMBSTONES) {
      const oldest = this.tombstones.keys().next();
      if (oldest.done) break;
      this.tombstones.delete(oldest.value);
    }
  }

  private expireTombstones(now = Date.now()): void {
    for (const [id, record] of this.tombstones) {
      if (now - record.deletedAt < this.options.deletedRetentionMs) break;
      this.tombstones.delete(id);
    }
  }

  private transition(
    record: SessionRecord,
    during: SessionStatus,
    after: SessionStatus,
    onFailure: SessionStatus,
    operation: () => Promise<void>,
  ): void {
    record.status = during;
    this.runInBackground(async () => {
      try {
        await Promise.all([operation(), sleep(this.options.transitionDelayMs)]);
        // A deletion that started meanwhile wins.
        if (record.status === during) record.status = after;
      } catch (err) {
        this.options.log(`session ${record.id}: ${during} failed: ${errorText(err)}`);
        if (record.status === during) record.status = onFailure;
      }
    });
  }

  private runInBackground(task: () => Promise<void>): void {
    const promise = task().finally(() => this.background.delete(promise));
    this.background.add(promise);
  }
}
