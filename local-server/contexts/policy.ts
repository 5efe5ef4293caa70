/**
 * The sync policy of one PersistenceDataList item (`Policy`, a JSON string with the SDK's camelCase
 * keys; docs/protocol.md §3.2 "Sync rules"). What the local server honours:
 *
 * - `uploadPolicy.autoUpload` (default true): the context is uploaded before the session is released.
 * - `downloadPolicy.autoDownload` (default true): the context is downloaded when the session is created.
 * - `deletePolicy.syncLocalFile` (default true): an upload mirrors deletions (context files under the
 *   path that the session no longer has are removed); false only adds and overwrites.
 * - `bwList.whiteLists[]` `{path, excludePaths[]}`: paths relative to the synced path; a file is synced
 *   when some white list covers it (an empty path covers everything) and none of that list's
 *   `excludePaths` does. No white list at all means everything.
 * - `mappingPolicy.path`: downloads read the context's files stored under that path (another
 *   session's path) and write them under this item's path. Only absolute POSIX paths are meaningful here.
 *
 * Accepted and ignored (documented in local-server/README.md): `uploadStrategy`, `uploadMode`
 * (`Archive` is stored file by file), `downloadStrategy`, `extractPolicy`, `recyclePolicy`.
 */
import { parseWireJson } from '../protocol/json-field';
import { invalidParameter } from '../protocol/errors';
import { contextFilePath } from './paths';

export interface WhiteListRule {
  /** Relative to the synced path, no leading or trailing slash; '' covers everything. */
  readonly path: string;
  readonly excludePaths: readonly string[];
}

export interface SyncRules {
  readonly autoUpload: boolean;
  readonly autoDownload: boolean;
  readonly mirrorDeletes: boolean;
  /** Empty: everything. */
  readonly whiteLists: readonly WhiteListRule[];
  /** Where downloads read from in the context, when not the item's own path. */
  readonly mappingPath: string | undefined;
}

const MAX_WHITE_LISTS = 64;
const MAX_EXCLUDES = 256;

export const DEFAULT_RULES: SyncRules = {
  autoUpload: true,
  autoDownload: true,
  mirrorDeletes: true,
  whiteLists: [],
  mappingPath: undefined,
};

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
  const inner = (value as Record<string, unknown>)[key];
  return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : undefined;
}

function flag(section: Record<string, unknown> | undefined, key: string, fallback: boolean): boolean {
  if (!section || !Object.prototype.hasOwnProperty.call(section, key)) return fallback;
  const value = section[key];
  if (typeof value !== 'boolean') throw invalidParameter(`Invalid parameter PersistenceDataList: Policy ${key} must be true or false.`);
  return value;
}

/** A white-list path: relative (a leading slash is allowed and dropped), no `..`, no wildcards. */
function subPath(value: unknown, what: string): string {
  if (typeof value !== 'string') throw invalidParameter(`Invalid parameter PersistenceDataList: Policy ${what} must be a string.`);
  if (value === '' || value === '/') return '';
  if (/[*?[\]]/.test(value)) throw invalidParameter(`Invalid parameter PersistenceDataList: Policy ${what} must be an exact path, not a wildcard pattern.`);
  const canonical = contextFilePath(value.startsWith('/') ? value : `/${value}`, `PersistenceDataList Policy ${what}`);
  return canonical === '/' ? '' : canonical.slice(1);
}

function whiteLists(policy: unknown): WhiteListRule[] {
  const bw = objectAt(policy, 'bwList');
  if (!bw || !Object.prototype.hasOwnProperty.call(bw, 'whiteLists')) return [];
  const lists = bw.whiteLists;
  if (!Array.isArray(lists) || lists.length > MAX_WHITE_LISTS) {
    throw invalidParameter(`Invalid parameter PersistenceDataList: Policy bwList.whiteLists must be an array of at most ${MAX_WHITE_LISTS} {path, excludePaths} objects.`);
  }
  const rules = lists.map((entry: unknown): WhiteListRule => {
    if (typeof entry !== 'object' || entry === null) throw invalidParameter('Invalid parameter PersistenceDataList: each Policy white list must be an object {path, excludePaths}.');
    const e = entry as Record<string, unknown>;
    const excludes = Object.prototype.hasOwnProperty.call(e, 'excludePaths') ? e.excludePaths : [];
    if (excludes !== undefined && excludes !== null && (!Array.isArray(excludes) || excludes.length > MAX_EXCLUDES)) {
      throw invalidParameter(`Invalid parameter PersistenceDataList: Policy excludePaths must be an array of at most ${MAX_EXCLUDES} paths.`);
    }
    return {
      path: subPath(Object.prototype.hasOwnProperty.call(e, 'path') ? e.path : '', 'white list path'),
      excludePaths: ((excludes ?? []) as unknown[]).map((x) => subPath(x, 'excludePaths entry')).filter((x) => x !== ''),
    };
  });
  return rules;
}

/** Parses a `Policy` string (absent or empty: the defaults). Errors name the field. */
export function parseSyncPolicy(text: string | undefined): SyncRules {
  if (text === undefined || text.trim() === '') return DEFAULT_RULES;
  // Client-chosen keys: no prototype-bearing objects, no __proto__ / constructor / prototype keys.
  const parsed = parseWireJson(text);
  if (!parsed.ok) throw invalidParameter(`Invalid parameter PersistenceDataList: each Policy must be a JSON string; ${parsed.reason}.`);
  const policy = parsed.value;
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw invalidParameter('Invalid parameter PersistenceDataList: each Policy must be a JSON object string.');
  }
  const mapping = objectAt(policy, 'mappingPolicy');
  let mappingPath: string | undefined;
  if (mapping && typeof mapping.path === 'string' && mapping.path !== '') {
    // Context files are keyed by absolute POSIX paths; a foreign path (`c:\Users\...`) can match nothing.
    if (mapping.path.startsWith('/')) mappingPath = contextFilePath(mapping.path, 'PersistenceDataList Policy mappingPolicy.path');
  }
  return {
    autoUpload: flag(objectAt(policy, 'uploadPolicy'), 'autoUpload', true),
    autoDownload: flag(objectAt(policy, 'downloadPolicy'), 'autoDownload', true),
    mirrorDeletes: flag(objectAt(policy, 'deletePolicy'), 'syncLocalFile', true),
    whiteLists: whiteLists(policy),
    mappingPath,
  };
}

/** Whether a file at `relative` (below the synced path, no leading slash) is synced under these rules. */
export function isSynced(rules: SyncRules, relative: string): boolean {
  if (rules.whiteLists.length === 0) return true;
  const covers = (prefix: string): boolean => prefix === '' || relative === prefix || relative.startsWith(`${prefix}/`);
  return rules.whiteLists.some((list) => covers(list.path) && !list.excludePaths.some(covers));
}
