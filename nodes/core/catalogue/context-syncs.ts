/**
 * Create Session's context syncs: the guided form (one context, one path, the SDK's sync policy
 * field by field), the JSON list, and the checks both go through before any request. The policy is
 * the SDK's `SyncPolicy` JSON (camelCase keys, docs/protocol.md §3.2 "Sync rules"); the
 * PersistenceDataList built from it is in create-session.ts.
 */
import { InputValidationError } from '../client/errors';
import { defineParameter } from './define';

/** The SDK's `SyncPolicy` keys (`ALLOWED_POLICY_KEYS`); anything else is refused, as the SDK does. */
const POLICY_KEYS = ['uploadPolicy', 'downloadPolicy', 'deletePolicy', 'extractPolicy', 'recyclePolicy', 'bwList', 'mappingPolicy'];
const UPLOAD_STRATEGIES = ['UploadBeforeResourceRelease'] as const;
const UPLOAD_MODES = ['File', 'Archive'] as const;
const DOWNLOAD_STRATEGIES = ['DownloadAsync'] as const;
const LIFECYCLES = [
  'Lifecycle_1Day',
  'Lifecycle_3Days',
  'Lifecycle_5Days',
  'Lifecycle_10Days',
  'Lifecycle_15Days',
  'Lifecycle_30Days',
  'Lifecycle_90Days',
  'Lifecycle_180Days',
  'Lifecycle_360Days',
  'Lifecycle_Forever',
] as const;

/** The local server's limit on PersistenceDataList items (docs/protocol.md §3.1). */
export const MAX_CONTEXT_SYNCS = 32;
const MAX_PATH_LENGTH = 1024;
const MAX_LIST_PATHS = 64;
/** Where a synced path may be: the areas of a session the local server has (docs/protocol.md §3.2). */
export const SYNC_ROOTS = ['/home/wuying', '/tmp'] as const;
export const SYNC_PATH_EXPECTED = 'an absolute path inside /home/wuying or /tmp, e.g. /home/wuying/workspace';

/** Shown (Node-RED) and gathered in one "Sync Policy" collection (n8n) while a guided sync is chosen. */
const GUIDED = { syncContext: ['message', 'id'] } as const;
const POLICY_GROUP = { name: 'syncPolicy', displayName: 'Sync Policy' } as const;
const policyField = { showWhen: GUIDED, group: POLICY_GROUP } as const;

const optionsOf = (values: readonly string[]) => values.map((value) => ({ name: value, value }));

/** The guided form's fields, in the order both runtimes show them. */
export const guidedSyncParameters = [
  defineParameter({
    name: 'syncContext',
    displayName: 'Sync Context',
    description:
      'Mount a persistent context at a path of the new session: the one on the message (put there by Get Context or Create Context), or one given by its ID. It is downloaded before the node finishes and, by default, uploaded again when the session is deleted.',
    kind: 'options',
    default: 'none',
    options: [
      { name: 'None', value: 'none', description: 'No context, or only those of Context Syncs' },
      { name: 'Context From Message', value: 'message', description: 'The context a Get Context or Create Context node put on the message' },
      { name: 'Context by ID', value: 'id', description: 'A context ID typed in or taken from an expression' },
    ],
    schema: { type: 'string', enum: ['none', 'message', 'id'] },
    expected: 'none, message or id',
  }),
  defineParameter({
    name: 'syncContextId',
    displayName: 'Context ID',
    description: 'ID of the context to mount (SdkCtx-...).',
    kind: 'string',
    default: '',
    placeholder: 'SdkCtx-...',
    showWhen: { syncContext: ['id'] },
    schema: { type: 'string', maxLength: 256 },
    expected: 'a context id such as SdkCtx-...',
  }),
  defineParameter({
    name: 'syncPath',
    displayName: 'Path',
    description: 'Where the context appears in the session.',
    kind: 'string',
    default: '/home/wuying/workspace',
    placeholder: '/home/wuying/workspace',
    showWhen: GUIDED,
    schema: { type: 'string', maxLength: MAX_PATH_LENGTH },
    expected: SYNC_PATH_EXPECTED,
  }),
  defineParameter({
    ...policyField,
    name: 'autoUpload',
    displayName: 'Auto Upload',
    description: 'Whether the session uploads the path back into the context when it is released (deleted).',
    kind: 'boolean',
    default: true,
    schema: { type: 'boolean' },
    expected: 'true or false',
  }),
  defineParameter({
    ...policyField,
    name: 'uploadStrategy',
    displayName: 'Upload Strategy',
    description: 'When the upload happens (uploadPolicy.uploadStrategy).',
    kind: 'options',
    default: 'UploadBeforeResourceRelease',
    options: optionsOf(UPLOAD_STRATEGIES),
    schema: { type: 'string', enum: UPLOAD_STRATEGIES },
    expected: UPLOAD_STRATEGIES.join(' or '),
  }),
  defineParameter({
    ...policyField,
    name: 'uploadMode',
    displayName: 'Upload Mode',
    description: 'File by file, or as one archive (uploadPolicy.uploadMode).',
    kind: 'options',
    default: 'File',
    options: optionsOf(UPLOAD_MODES),
    schema: { type: 'string', enum: UPLOAD_MODES },
    expected: UPLOAD_MODES.join(' or '),
  }),
  defineParameter({
    ...policyField,
    name: 'autoDownload',
    displayName: 'Auto Download',
    description: 'Whether the context is downloaded into the path when the session is created.',
    kind: 'boolean',
    default: true,
    schema: { type: 'boolean' },
    expected: 'true or false',
  }),
  defineParameter({
    ...policyField,
    name: 'downloadStrategy',
    displayName: 'Download Strategy',
    description: 'How the download happens (downloadPolicy.downloadStrategy).',
    kind: 'options',
    default: 'DownloadAsync',
    options: optionsOf(DOWNLOAD_STRATEGIES),
    schema: { type: 'string', enum: DOWNLOAD_STRATEGIES },
    expected: DOWNLOAD_STRATEGIES.join(' or '),
  }),
  defineParameter({
    ...policyField,
    name: 'syncDeletions',
    displayName: 'Sync Deletions',
    description: 'Whether files deleted in the session are deleted from the context on upload (deletePolicy.syncLocalFile); off, uploads only add and overwrite.',
    kind: 'boolean',
    default: true,
    schema: { type: 'boolean' },
    expected: 'true or false',
  }),
  defineParameter({
    ...policyField,
    name: 'whiteList',
    displayName: 'White List',
    description: 'Paths below Path to sync, relative to it (bwList.whiteLists). Empty: everything. No wildcards.',
    kind: 'stringList',
    default: [],
    schema: { type: 'array', maxItems: MAX_LIST_PATHS, items: { type: 'string', maxLength: MAX_PATH_LENGTH } },
    expected: `up to ${MAX_LIST_PATHS} relative paths without wildcards, e.g. ["src", "notes"]`,
  }),
  defineParameter({
    ...policyField,
    name: 'blackList',
    displayName: 'Black List',
    description: 'Paths below Path never to sync, relative to it (each white list\'s excludePaths). No wildcards.',
    kind: 'stringList',
    default: [],
    schema: { type: 'array', maxItems: MAX_LIST_PATHS, items: { type: 'string', maxLength: MAX_PATH_LENGTH } },
    expected: `up to ${MAX_LIST_PATHS} relative paths without wildcards, e.g. ["node_modules", "cache"]`,
  }),
  defineParameter({
    ...policyField,
    name: 'extract',
    displayName: 'Extract Archives',
    description: 'Whether uploaded archives are extracted (extractPolicy.extract).',
    kind: 'boolean',
    default: true,
    schema: { type: 'boolean' },
    expected: 'true or false',
  }),
  defineParameter({
    ...policyField,
    name: 'extractDeleteSource',
    displayName: 'Delete Archive After Extracting',
    description: 'Whether an extracted archive is deleted (extractPolicy.deleteSrcFile).',
    kind: 'boolean',
    default: true,
    schema: { type: 'boolean' },
    expected: 'true or false',
  }),
  defineParameter({
    ...policyField,
    name: 'extractToCurrentFolder',
    displayName: 'Extract To Current Folder',
    description: 'Whether archives are extracted next to the archive rather than into a folder of their own (extractPolicy.extractToCurrentFolder).',
    kind: 'boolean',
    default: false,
    schema: { type: 'boolean' },
    expected: 'true or false',
  }),
  defineParameter({
    ...policyField,
    name: 'recycleLifecycle',
    displayName: 'Recycle After',
    description: 'How long the service keeps the synced data (recyclePolicy.lifecycle).',
    kind: 'options',
    default: 'Lifecycle_Forever',
    options: optionsOf(LIFECYCLES),
    schema: { type: 'string', enum: LIFECYCLES },
    expected: `one of ${LIFECYCLES.join(', ')}`,
  }),
  defineParameter({
    ...policyField,
    name: 'recyclePaths',
    displayName: 'Recycle Paths',
    description: 'Paths the recycle lifecycle applies to, relative to Path (recyclePolicy.paths). Empty: all of it. No wildcards.',
    kind: 'stringList',
    default: [],
    schema: { type: 'array', maxItems: MAX_LIST_PATHS, items: { type: 'string', maxLength: MAX_PATH_LENGTH } },
    expected: `up to ${MAX_LIST_PATHS} relative paths without wildcards`,
  }),
  defineParameter({
    ...policyField,
    name: 'mappingPath',
    displayName: 'Mapping Path',
    description: 'The path the context\'s data was synced from in another session, when it differs from Path, e.g. on another OS (mappingPolicy.path). Empty: the same path.',
    kind: 'string',
    default: '',
    schema: { type: 'string', maxLength: MAX_PATH_LENGTH },
    expected: 'a path, or empty',
  }),
] as const;

/** One PersistenceDataList item before encoding. */
export interface ContextSyncItem {
  contextId: string;
  path: string;
  policy?: Record<string, unknown>;
}

/** The guided form's values, as validated input gives them (all optional: hidden ones are dropped). */
export interface GuidedSyncInput {
  syncContext?: 'none' | 'message' | 'id';
  syncContextId?: string;
  syncPath?: string;
  autoUpload?: boolean;
  uploadStrategy?: string;
  uploadMode?: string;
  autoDownload?: boolean;
  downloadStrategy?: string;
  syncDeletions?: boolean;
  whiteList?: string[];
  blackList?: string[];
  extract?: boolean;
  extractDeleteSource?: boolean;
  extractToCurrentFolder?: boolean;
  recycleLifecycle?: string;
  recyclePaths?: string[];
  mappingPath?: string;
}

const fieldError = (field: string, expected: string, problem: string): InputValidationError =>
  new InputValidationError(field, expected, `${field} ${problem}: expected ${expected}`);

const hasWildcard = (path: string): boolean => /[*?[\]]/.test(path);

/** A session path a context may be synced to (the local server's rule; see the module comment). */
export function checkSyncPath(path: unknown, field: string): string {
  if (typeof path !== 'string' || path.trim() === '') throw fieldError(field, SYNC_PATH_EXPECTED, 'is empty');
  // eslint-disable-next-line no-control-regex
  if (path.length > MAX_PATH_LENGTH || /[\u0000-\u001f\u007f]/.test(path)) {
    throw fieldError(field, SYNC_PATH_EXPECTED, `is longer than ${MAX_PATH_LENGTH} characters or holds control characters`);
  }
  if (!path.startsWith('/')) throw fieldError(field, SYNC_PATH_EXPECTED, `is not absolute (${JSON.stringify(path.slice(0, 80))})`);
  if (path.split('/').includes('..')) throw fieldError(field, SYNC_PATH_EXPECTED, 'contains ".."');
  const inside = SYNC_ROOTS.some((root) => path === root || path.startsWith(`${root}/`));
  if (!inside) throw fieldError(field, SYNC_PATH_EXPECTED, `is outside the session (${JSON.stringify(path.slice(0, 80))})`);
  return path;
}

/** A relative list path: a string, no wildcard (the SDK's WhiteListValidator), no "..". */
function checkListPaths(paths: readonly unknown[], field: string): string[] {
  const expected = 'relative paths without wildcards (*, ?, [ ]) or ".."';
  if (paths.length > MAX_LIST_PATHS) throw fieldError(field, expected, `has more than ${MAX_LIST_PATHS} paths`);
  return paths.map((path, index) => {
    if (typeof path !== 'string' || path.length > MAX_PATH_LENGTH) throw fieldError(`${field}[${index}]`, expected, 'is not a path');
    if (hasWildcard(path)) throw fieldError(field, expected, `holds the wildcard pattern ${JSON.stringify(path.slice(0, 80))}`);
    if (path.split('/').includes('..')) throw fieldError(field, expected, `holds ${JSON.stringify(path.slice(0, 80))}`);
    return path;
  });
}

/** The SDK's SyncPolicy JSON from the guided fields (every part set, as the SDK's newSyncPolicy does). */
export function guidedPolicy(input: GuidedSyncInput): Record<string, unknown> {
  const whites = checkListPaths(input.whiteList ?? [], 'White List (whiteList)');
  const blacks = checkListPaths(input.blackList ?? [], 'Black List (blackList)');
  const recyclePaths = checkListPaths(input.recyclePaths ?? [], 'Recycle Paths (recyclePaths)');
  // A file is synced when a white list covers it and none of its excludePaths does, so the black
  // list goes with every white list; no white list means the whole path ("").
  const whiteLists = (whites.length > 0 ? whites : ['']).map((path) => ({ path, excludePaths: blacks }));
  const policy: Record<string, unknown> = {
    uploadPolicy: {
      autoUpload: input.autoUpload ?? true,
      uploadStrategy: input.uploadStrategy ?? 'UploadBeforeResourceRelease',
      uploadMode: input.uploadMode ?? 'File',
    },
    downloadPolicy: { autoDownload: input.autoDownload ?? true, downloadStrategy: input.downloadStrategy ?? 'DownloadAsync' },
    deletePolicy: { syncLocalFile: input.syncDeletions ?? true },
    extractPolicy: {
      extract: input.extract ?? true,
      deleteSrcFile: input.extractDeleteSource ?? true,
      extractToCurrentFolder: input.extractToCurrentFolder ?? false,
    },
    recyclePolicy: { lifecycle: input.recycleLifecycle ?? 'Lifecycle_Forever', paths: recyclePaths.length > 0 ? recyclePaths : [''] },
    bwList: { whiteLists },
  };
  if (input.mappingPath) policy.mappingPolicy = { path: input.mappingPath };
  return policy;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const own = (record: Record<string, unknown>, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

/** A policy of the JSON list, checked as the SDK's validateSyncPolicy does, plus the types of its switches. */
function checkPolicy(raw: unknown, field: string): Record<string, unknown> | undefined {
  const expected = `a SyncPolicy object with the keys ${POLICY_KEYS.join(', ')}`;
  if (raw === undefined || raw === null || raw === '') return undefined;
  let policy = raw;
  if (typeof raw === 'string') {
    try {
      policy = JSON.parse(raw);
    } catch {
      throw fieldError(field, expected, 'is not valid JSON');
    }
  }
  if (!isPlainObject(policy)) throw fieldError(field, expected, 'is not an object');
  for (const key of Object.keys(policy)) {
    if (!POLICY_KEYS.includes(key)) throw fieldError(field, expected, `has the unknown key ${JSON.stringify(key.slice(0, 40))}`);
    if (!isPlainObject(policy[key])) throw fieldError(`${field}.${key}`, 'an object', 'is not an object');
  }
  const section = (key: string): Record<string, unknown> => (isPlainObject(own(policy, key)) ? (own(policy, key) as Record<string, unknown>) : {});
  const switches: Array<[string, string]> = [
    ['uploadPolicy', 'autoUpload'],
    ['downloadPolicy', 'autoDownload'],
    ['deletePolicy', 'syncLocalFile'],
    ['extractPolicy', 'extract'],
    ['extractPolicy', 'deleteSrcFile'],
    ['extractPolicy', 'extractToCurrentFolder'],
  ];
  for (const [key, name] of switches) {
    const value = own(section(key), name);
    if (value !== undefined && typeof value !== 'boolean') throw fieldError(`${field}.${key}.${name}`, 'true or false', 'is not a boolean');
  }
  const enums: Array<[string, string, readonly string[]]> = [
    ['uploadPolicy', 'uploadStrategy', UPLOAD_STRATEGIES],
    ['uploadPolicy', 'uploadMode', UPLOAD_MODES],
    ['downloadPolicy', 'downloadStrategy', DOWNLOAD_STRATEGIES],
    ['recyclePolicy', 'lifecycle', LIFECYCLES],
  ];
  for (const [key, name, allowed] of enums) {
    const value = own(section(key), name);
    if (value !== undefined && !allowed.includes(value as string)) {
      throw fieldError(`${field}.${key}.${name}`, `one of ${allowed.join(', ')}`, `is ${JSON.stringify(String(value).slice(0, 40))}`);
    }
  }
  const whiteLists = own(section('bwList'), 'whiteLists');
  if (whiteLists !== undefined) {
    if (!Array.isArray(whiteLists) || whiteLists.length > MAX_LIST_PATHS) {
      throw fieldError(`${field}.bwList.whiteLists`, `an array of at most ${MAX_LIST_PATHS} {path, excludePaths} objects`, 'is not');
    }
    whiteLists.forEach((entry: unknown, index) => {
      const where = `${field}.bwList.whiteLists[${index}]`;
      if (!isPlainObject(entry)) throw fieldError(where, 'an object {path, excludePaths}', 'is not an object');
      checkListPaths([own(entry, 'path') ?? ''], `${where}.path`);
      const excludes = own(entry, 'excludePaths') ?? [];
      if (!Array.isArray(excludes)) throw fieldError(`${where}.excludePaths`, 'an array of relative paths', 'is not an array');
      checkListPaths(excludes, `${where}.excludePaths`);
    });
  }
  const recyclePaths = own(section('recyclePolicy'), 'paths');
  if (recyclePaths !== undefined) {
    if (!Array.isArray(recyclePaths)) throw fieldError(`${field}.recyclePolicy.paths`, 'an array of relative paths', 'is not an array');
    checkListPaths(recyclePaths, `${field}.recyclePolicy.paths`);
  }
  const mappingPath = own(section('mappingPolicy'), 'path');
  if (mappingPath !== undefined && (typeof mappingPath !== 'string' || mappingPath.length > MAX_PATH_LENGTH)) {
    throw fieldError(`${field}.mappingPolicy.path`, 'a path string', 'is not');
  }
  return policy;
}

/** The JSON list's items, checked (paths, policies) and bounded; errors name the item and its field. */
export function checkContextSyncList(list: ReadonlyArray<{ contextId: string; path: string; policy?: unknown }>, field: string): ContextSyncItem[] {
  if (list.length > MAX_CONTEXT_SYNCS) throw fieldError(field, `at most ${MAX_CONTEXT_SYNCS} context syncs`, `has ${list.length}`);
  return list.map((item, index) => {
    const path = checkSyncPath(item.path, `${field}[${index}].path`);
    const policy = checkPolicy(item.policy, `${field}[${index}].policy`);
    return policy ? { contextId: item.contextId, path, policy } : { contextId: item.contextId, path };
  });
}

/** The guided sync's item, when one is chosen; `messageContextId` is the context the message carries. */
export function guidedContextSync(input: GuidedSyncInput, messageContextId: string | undefined): ContextSyncItem | undefined {
  if (!input.syncContext || input.syncContext === 'none') return undefined;
  let contextId: string;
  if (input.syncContext === 'id') {
    contextId = (input.syncContextId ?? '').trim();
    if (!contextId) throw fieldError('Context ID (syncContextId)', 'a context id such as SdkCtx-...', 'is empty');
  } else {
    contextId = messageContextId ?? '';
    if (!contextId) {
      throw fieldError(
        'Sync Context (syncContext)',
        'a message carrying a context (put there by Get Context or Create Context), or Context by ID',
        'is Context From Message, but the message carries no context',
      );
    }
  }
  const path = checkSyncPath(input.syncPath, 'Path (syncPath)');
  return { contextId, path, policy: guidedPolicy(input) };
}
