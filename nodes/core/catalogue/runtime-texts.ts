/**
 * The fixed texts nodes show while they run (progress, input errors), keyed, as English templates
 * with `{name}` placeholders. Code that shows one builds a `RuntimeText` (key + values): its `english`
 * is the text as it always read, for n8n and logs; the Node-RED adapter looks the key up in the
 * runtime's language (message catalogues rendered from this table by scripts/node-red-locales.ts).
 */

export const RUNTIME_TEXTS = {
  // progress
  retrying: 'retrying: {reason}',
  creatingTemporarySession: 'creating a temporary session',
  temporarySessionNotDeleted: 'could not delete temporary session {sessionId}: {reason}',
  createAnswerLost: 'create answer lost ({code}); looking for the session',
  lookingForLostSession: 'looking for the session of the lost create ({seconds} s)',
  syncingContexts: 'syncing contexts',
  waitingForDeletion: 'waiting for deletion',
  waitingFor: 'waiting for {label} ({seconds}s)',
  sessionDeletion: 'session {sessionId} deletion',
  contextToBeCleared: 'context {contextId} to be cleared',
  listingContexts: 'listing contexts ({found} so far)',
  listingSessions: 'listing sessions ({found} so far)',
  skippingToPage: 'skipping to page {page} ({current}/{last})',
  gettingTransferContext: 'getting the file-transfer context',
  uploadingBytes: 'uploading {bytes} bytes',
  downloadingBytes: 'downloading {bytes} bytes',
  syncingIntoSession: 'syncing into the session',
  syncingOutOfSession: 'syncing out of the session',
  readingChunks: 'reading {done}/{total} chunks',
  writingChunks: 'writing {done}/{total} chunks',
  deletingSessionOf: 'deleting {sessionId} ({done}/{total})',
  waitingForContextSync: 'waiting for context sync',
  contextSync: 'context sync',
  waitingForTries: 'waiting for {label} ({attempt}/{tries})',
  syncWaitProgress: '{label}: {settled}/{counted} done, {elapsed} s of {total} s',
  syncWaitElapsed: '{label}: {elapsed} s of {total} s',
  pausing: 'pausing',
  resuming: 'resuming',
  sessionPause: 'session pause',
  sessionResume: 'session resume',
  cancelledDeletingNewSession: 'cancelled: deleting the new session',
  // input errors: `{label} ({name}) {problem}: expected {expected}`
  invalidField: '{label} ({name}) {problem}: expected {expected}',
  fieldNotEvaluated: '{label} ({name}): {reason}',
  isRequired: 'is required',
  isNotValidJson: 'is not valid JSON',
  isValueOfType: 'is {type}',
  objectWithoutTextField: 'is an object without a text "{field}" field',
  mustBeA: 'must be a {type}',
  mustBeAn: 'must be an {type}',
  mustBeOneOf: 'must be one of {values}',
  notInExpectedForm: 'is not in the expected form',
  atItem: 'item {index} {problem}',
  atProperty: '"{property}" {problem}',
  invalidSession: '{field} must be {expected}, got {got}. Put a Create Session node before this one, or set {field}.',
  sessionExpected: 'a session object with a sessionId (as Create Session outputs) or a session ID string',
  invalidContext: '{field} must be {expected}, got {got}. Put a Get Context node before this one, or set {field}.',
  contextExpected: 'a context object with a contextId (as Get Context outputs), a context ID (SdkCtx-…) or a context name',
  gotNothing: 'nothing',
  gotEmptyString: 'an empty string',
  orUseTemporarySession: '{message} Or set If No Session to Use a Temporary Session.',
  connectionNotSet: 'AgentBay connection (server) is not set: choose or add an AgentBay config node',
  // Node-RED status after a failure
  statusServiceError: 'error: {code}',
  statusInvalidField: 'invalid {field}',
  statusError: 'error',
} as const;

export type RuntimeTextKey = keyof typeof RUNTIME_TEXTS;

/** The placeholder names of a template: `'reading {done}/{total} chunks'` → `'done' | 'total'`. */
type Placeholders<Template extends string> = Template extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The label or expected form of a node's field, which the runtime's catalogue may translate. */
export interface FieldText {
  readonly field: string;
  readonly part: 'label' | 'expected';
  readonly english: string;
}

export type TextValue = string | number | RuntimeText | FieldText;

export interface RuntimeText {
  readonly key: RuntimeTextKey;
  readonly values: Readonly<Record<string, TextValue>>;
  /** The English text (the template filled in, or the exact English the source gave, e.g. Ajv's). */
  readonly english: string;
}

type ValuesOf<Key extends RuntimeTextKey> = Record<Placeholders<(typeof RUNTIME_TEXTS)[Key]>, TextValue>;

/** Replaces each `{name}` of `template` by `value(name)`; no regular expression over the input. */
export function fillTemplate(template: string, value: (name: string) => string): string {
  let result = '';
  let index = 0;
  while (index < template.length) {
    const open = template.indexOf('{', index);
    const close = open === -1 ? -1 : template.indexOf('}', open);
    if (open === -1 || close === -1) break;
    result += template.slice(index, open) + value(template.slice(open + 1, close));
    index = close + 1;
  }
  return result + template.slice(index);
}

function valueEnglish(value: TextValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  return value.english;
}

export function runtimeText<Key extends RuntimeTextKey>(
  key: Key,
  ...[values, english]: Placeholders<(typeof RUNTIME_TEXTS)[Key]> extends never ? [values?: Record<string, never>, english?: string] : [values: ValuesOf<Key>, english?: string]
): RuntimeText {
  const given: Record<string, TextValue> = values ?? {};
  return { key, values: given, english: english ?? fillTemplate(RUNTIME_TEXTS[key], (name) => valueEnglish(given[name])) };
}

/** A field's label as the form shows it (translated where the runtime has it). */
export const fieldLabelText = (field: string, english: string): FieldText => ({ field, part: 'label', english });
/** A field's expected form (translated where the runtime has it). */
export const fieldExpectedText = (field: string, english: string): FieldText => ({ field, part: 'expected', english });

export const englishOf = (text: string | RuntimeText): string => (typeof text === 'string' ? text : text.english);

export function isRuntimeText(value: unknown): value is RuntimeText {
  return typeof value === 'object' && value !== null && typeof (value as RuntimeText).key === 'string' && typeof (value as RuntimeText).english === 'string';
}

/**
 * Renders a text in another language: `translate(key, values)` gives the key's text there with the
 * values (already rendered) filled in, undefined to keep the English; `field(text)` a field's label or
 * expected form there.
 */
export function renderText(
  text: string | RuntimeText,
  translate: (key: RuntimeTextKey, values: Record<string, string>) => string | undefined,
  field: (text: FieldText) => string | undefined,
): string {
  if (typeof text === 'string') return text;
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(text.values)) {
    if (typeof value === 'string' || typeof value === 'number') values[name] = String(value);
    else values[name] = 'key' in value ? renderText(value, translate, field) : (field(value) ?? value.english);
  }
  return translate(text.key, values) ?? text.english;
}
