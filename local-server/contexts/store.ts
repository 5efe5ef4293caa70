/**
 * The context store: contexts (id, name, state, times) and their files, persisted in
 * `<dataDir>/contexts/` so they survive a restart: `index.json` (metadata, written atomically:
 * temp file, fsync, rename) and one blob per file under `blobs/<contextId>/<fileId>`.
 *
 * The index is read back as hostile input (it lives on disk where anyone with access can edit it):
 * every field is type-checked, ids and paths re-validated, counts bounded; what does not fit is
 * dropped with a log line. Lookups use Maps, never objects keyed by user text.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newContextId } from '../ids';
import { ApiError, invalidParameter } from '../protocol/errors';
import { contextFilePath, isUnder } from './paths';

export type ContextState = 'available' | 'clearing';

export interface ContextFile {
  readonly fileId: string;
  readonly size: number;
  readonly createdAt: number;
  readonly modifiedAt: number;
}

export interface ContextRecord {
  readonly id: string;
  name: string;
  readonly seq: number;
  readonly createdAt: number;
  lastUsedAt: number;
  state: ContextState;
  /** The session whose file-transfer context this is (not listed, not persisted). */
  readonly internalFor: string | undefined;
  readonly files: Map<string, ContextFile>;
}

export interface ContextLimits {
  /** Largest single file (URL upload or sync). */
  maxFileBytes: number;
  maxContexts: number;
  maxFilesPerContext: number;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = {
  maxFileBytes: 2 * 1024 * 1024 * 1024,
  maxContexts: 10_000,
  maxFilesPerContext: 50_000,
};

const CONTEXT_ID = /^SdkCtx-[a-z0-9]{17}$/;
const FILE_ID = /^f-[0-9a-f]{24}$/;
export const MAX_NAME_LENGTH = 256;
const INDEX_VERSION = 1;

export function contextNotFound(what: string): ApiError {
  return new ApiError('InvalidContext.NotFound', `The context does not exist: ${what}`);
}

export function fileNotFound(contextId: string, filePath: string): ApiError {
  return new ApiError('InvalidContextFile.NotFound', `The file does not exist in context ${contextId} (file not exist): ${filePath}`);
}

/** Context names: 1–256 characters, no control characters, not blank. */
export function checkName(name: string, field: string): string {
  // eslint-disable-next-line no-control-regex
  if (name.trim() === '' || name.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) {
    throw invalidParameter(`Invalid parameter ${field}: expected a context name of 1 to ${MAX_NAME_LENGTH} characters without control characters.`);
  }
  return name;
}

export class FileTooLargeError extends Error {}

interface StoredFile {
  path: string;
  fileId: string;
  size: number;
  createdAt: number;
  modifiedAt: number;
}

interface StoredContext {
  id: string;
  name: string;
  seq: number;
  createdAt: number;
  lastUsedAt: number;
  files: StoredFile[];
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

export class ContextStore {
  private readonly byId = new Map<string, ContextRecord>();
  private seq = 0;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  private readonly indexFile: string;
  private readonly blobRoot: string;

  private constructor(
    root: string,
    readonly limits: ContextLimits,
    private readonly log: (line: string) => void,
  ) {
    this.indexFile = path.join(root, 'index.json');
    this.blobRoot = path.join(root, 'blobs');
  }

  static async open(root: string, limits: Partial<ContextLimits>, log: (line: string) => void): Promise<ContextStore> {
    const store = new ContextStore(root, { ...DEFAULT_CONTEXT_LIMITS, ...limits }, log);
    await mkdir(store.blobRoot, { recursive: true });
    await store.load();
    await store.removeOrphanBlobs();
    return store;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.indexFile, 'utf8');
    } catch {
      return; // first start
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.log(`contexts: ${this.indexFile} is not valid JSON; starting with no contexts`);
      return;
    }
    const doc = parsed as { version?: unknown; seq?: unknown; contexts?: unknown };
    if (typeof parsed !== 'object' || parsed === null || doc.version !== INDEX_VERSION || !Array.isArray(doc.contexts)) {
      this.log('contexts: the index has an unknown format; starting with no contexts');
      return;
    }
    const names = new Set<string>();
    for (const raw of doc.contexts.slice(0, this.limits.maxContexts) as unknown[]) {
      const c = raw as Partial<StoredContext>;
      if (typeof raw !== 'object' || raw === null || typeof c.id !== 'string' || !CONTEXT_ID.test(c.id) || typeof c.name !== 'string') continue;
      if (this.byId.has(c.id) || names.has(c.name) || !isFiniteNumber(c.seq) || !isFiniteNumber(c.createdAt) || !isFiniteNumber(c.lastUsedAt)) continue;
      try {
        checkName(c.name, 'Name');
      } catch {
        continue;
      }
      const files = new Map<string, ContextFile>();
      for (const f of (Array.isArray(c.files) ? c.files : []).slice(0, this.limits.maxFilesPerContext) as Partial<StoredFile>[]) {
        if (typeof f !== 'object' || f === null || typeof f.path !== 'string' || typeof f.fileId !== 'string' || !FILE_ID.test(f.fileId)) continue;
        if (!isFiniteNumber(f.size) || !isFiniteNumber(f.createdAt) || !isFiniteNumber(f.modifiedAt)) continue;
        let key: string;
        try {
          key = contextFilePath(f.path, 'path');
        } catch {
          continue;
        }
        if (key !== f.path) continue;
        files.set(key, { fileId: f.fileId, size: f.size, createdAt: f.createdAt, modifiedAt: f.modifiedAt });
      }
      names.add(c.name);
      this.seq = Math.max(this.seq, c.seq);
      this.byId.set(c.id, {
        id: c.id, name: c.name, seq: c.seq, createdAt: c.createdAt, lastUsedAt: c.lastUsedAt,
        state: 'available', internalFor: undefined, files,
      });
    }
    this.log(`contexts: loaded ${this.byId.size} context(s) from ${this.indexFile}`);
  }

  /** Blob folders of contexts the index does not know (file-transfer contexts of a run that crashed). */
  private async removeOrphanBlobs(): Promise<void> {
    for (const name of await readdir(this.blobRoot).catch(() => [] as string[])) {
      if (!this.byId.has(name)) await rm(path.join(this.blobRoot, name), { recursive: true, force: true });
    }
  }

  /** Saves the index; concurrent calls coalesce into one more write after the current one. */
  save(): Promise<void> {
    if (this.dirty) return this.saving;
    this.dirty = true;
    this.saving = this.saving.then(async () => {
      this.dirty = false;
      await this.writeIndex();
    }).catch((err: unknown) => this.log(`contexts: saving the index failed: ${err instanceof Error ? err.message : String(err)}`));
    return this.saving;
  }

  private async writeIndex(): Promise<void> {
    const contexts: StoredContext[] = [];
    for (const c of this.byId.values()) {
      if (c.internalFor !== undefined) continue;
      contexts.push({
        id: c.id, name: c.name, seq: c.seq, createdAt: c.createdAt, lastUsedAt: c.lastUsedAt,
        files: [...c.files].map(([p, f]) => ({ path: p, ...f })),
      });
    }
    const temp = `${this.indexFile}.${randomBytes(6).toString('hex')}.tmp`;
    const fh = await open(temp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify({ version: INDEX_VERSION, seq: this.seq, contexts }));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, this.indexFile);
  }

  /** Contexts a client may list (file-transfer contexts are the session's own), newest first. */
  listed(): ContextRecord[] {
    return [...this.byId.values()].filter((c) => c.internalFor === undefined).sort((a, b) => b.seq - a.seq);
  }

  find(id: string): ContextRecord | undefined {
    return this.byId.get(id);
  }

  get(id: string): ContextRecord {
    const record = this.byId.get(id);
    if (!record) throw contextNotFound(id);
    return record;
  }

  findByName(name: string): ContextRecord | undefined {
    for (const c of this.byId.values()) if (c.internalFor === undefined && c.name === name) return c;
    return undefined;
  }

  create(name: string, internalFor?: string): ContextRecord {
    if (this.byId.size >= this.limits.maxContexts) {
      throw new ApiError('QuotaExceeded.Context', `The local server holds at most ${this.limits.maxContexts} contexts; delete some first.`);
    }
    if (internalFor === undefined && this.findByName(name)) throw new ApiError('InvalidContext.NameExists', `A context named ${JSON.stringify(name)} already exists.`);
    const now = Date.now();
    this.seq += 1;
    const record: ContextRecord = {
      id: newContextId(), name, seq: this.seq, createdAt: now, lastUsedAt: now, state: 'available', internalFor, files: new Map(),
    };
    this.byId.set(record.id, record);
    void this.save();
    return record;
  }

  rename(record: ContextRecord, name: string): void {
    const other = this.findByName(name);
    if (other && other !== record) throw new ApiError('InvalidContext.NameExists', `A context named ${JSON.stringify(name)} already exists.`);
    record.name = name;
    void this.save();
  }

  touch(record: ContextRecord): void {
    record.lastUsedAt = Date.now();
    void this.save();
  }

  async delete(record: ContextRecord): Promise<void> {
    this.byId.delete(record.id);
    await this.save();
    await rm(this.blobDir(record), { recursive: true, force: true });
  }

  /** Removes every file (ClearContext). */
  async clearFiles(record: ContextRecord): Promise<void> {
    const ids = [...record.files.values()].map((f) => f.fileId);
    record.files.clear();
    await this.save();
    await Promise.all(ids.map((id) => rm(path.join(this.blobDir(record), id), { force: true })));
  }

  /** Files at or below `prefix`, sorted by path. */
  filesUnder(record: ContextRecord, prefix: string): [string, ContextFile][] {
    return [...record.files].filter(([key]) => isUnder(key, prefix)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  file(record: ContextRecord, key: string): ContextFile {
    const f = record.files.get(key);
    if (!f) throw fileNotFound(record.id, key);
    return f;
  }

  openBlob(record: ContextRecord, file: ContextFile): ReadStream {
    return createReadStream(path.join(this.blobDir(record), file.fileId));
  }

  /**
   * Stores `source` as the file `key`, replacing any file there. The bytes go to a temp blob first,
   * so a failed or oversized write leaves the old file as it was. Throws FileTooLargeError past
   * `maxFileBytes`.
   */
  async putFile(record: ContextRecord, key: string, source: Readable, modifiedAt = Date.now()): Promise<ContextFile> {
    if (!record.files.has(key) && record.files.size >= this.limits.maxFilesPerContext) {
      source.destroy();
      throw new ApiError('QuotaExceeded.ContextFile', `A context holds at most ${this.limits.maxFilesPerContext} files.`);
    }
    const dir = this.blobDir(record);
    await mkdir(dir, { recursive: true }).catch((err: unknown) => {
      source.destroy();
      throw err;
    });
    const fileId = `f-${randomBytes(12).toString('hex')}`;
    const blob = path.join(dir, fileId);
    let size = 0;
    const limit = this.limits.maxFileBytes;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > limit) throw new FileTooLargeError(`The file is larger than the limit of ${limit} bytes.`);
            yield chunk;
          }
        },
        createWriteStream(blob, { mode: 0o600 }),
      );
    } catch (err) {
      await rm(blob, { force: true });
      throw err;
    }
    if (!this.byId.has(record.id)) {
      await rm(blob, { force: true });
      throw contextNotFound(record.id);
    }
    const previous = record.files.get(key);
    const entry: ContextFile = { fileId, size, createdAt: previous?.createdAt ?? Date.now(), modifiedAt };
    record.files.set(key, entry);
    record.lastUsedAt = Date.now();
    await this.save();
    if (previous) await rm(path.join(dir, previous.fileId), { force: true });
    return entry;
  }

  async deleteFile(record: ContextRecord, key: string): Promise<void> {
    const f = this.file(record, key);
    record.files.delete(key);
    await this.save();
    await rm(path.join(this.blobDir(record), f.fileId), { force: true });
  }

  /** Waits for pending index writes. */
  async flush(): Promise<void> {
    await this.saving;
  }

  private blobDir(record: ContextRecord): string {
    return path.join(this.blobRoot, record.id);
  }
}
