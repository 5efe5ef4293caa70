/**
 * The shape of one operation definition. Everything a runtime needs to show and run an operation
 * (form fields, validation, help, the call itself) hangs off this, so n8n and Node-RED are
 * derived from the same object and never written twice.
 */
import type { AgentBayClient, Clock } from '../client/client';
import type { ContextRef } from './context';
import type { SessionRef } from './session';
import type { RuntimeText } from './runtime-texts';

/** JSON Schema fragment, validated with ajv. */
export type JsonSchema = Record<string, unknown>;

/**
 * How a parameter is entered and coerced:
 * - string / text (multi-line) / code: a string;
 * - number, boolean, options (one value of `options`);
 * - json: any JSON value (objects given as text are parsed);
 * - stringMap: an object of string to string (labels, environment variables);
 * - stringList: an array of strings (JSON array, or comma/newline separated text);
 * - data: file content, text or bytes (n8n: text field or binary property; Node-RED: string or Buffer).
 */
export type ParameterKind =
  | 'string'
  | 'text'
  | 'code'
  | 'number'
  | 'boolean'
  | 'options'
  | 'json'
  | 'stringMap'
  | 'stringList'
  | 'data';

export type ParameterValue =
  | string
  | number
  | boolean
  | null
  | readonly ParameterValue[]
  | { readonly [key: string]: ParameterValue };

export interface ParameterOption {
  name: string;
  value: string;
  description?: string;
}

export interface ParameterDefinition {
  /** Key in the validated input, the n8n parameter name and the Node-RED property name (camelCase). */
  name: string;
  displayName: string;
  /** One or two sentences; shown as field hint (n8n) and in the help panel (Node-RED). */
  description: string;
  kind: ParameterKind;
  default: ParameterValue;
  required?: boolean;
  placeholder?: string;
  options?: readonly ParameterOption[];
  /** Schema of the coerced value. Omitted for `data`, which is checked by hand (string or bytes). */
  schema?: JsonSchema;
  /** What a valid value looks like, for error messages (`an integer from 1 to 50000`). */
  expected: string;
  /** Show only when other parameters have one of the listed values. */
  showWhen?: Record<string, readonly (string | number | boolean)[]>;
  /** Tucked under "Options" in n8n; still a plain field in Node-RED. */
  advanced?: boolean;
  /**
   * `data` only: the field of an earlier step's result that holds its text output (`stdout` of Run
   * Code and Execute Command), so "Run Code → Write File" works as first wired. Node-RED: a result
   * object at the content source gives this field; n8n: the content defaults to `{{ $json.<field> }}`.
   */
  resultTextField?: string;
  /** `data` only, n8n: the content comes from a binary property unless switched off (Upload File). */
  binaryByDefault?: boolean;
  /**
   * The field of the previous step's result this parameter defaults to, so a chain works as first
   * wired (Generate Context Name → Get Context): n8n `{{ $json.<field> }}`, Node-RED `msg.payload.<field>`.
   */
  previousResultField?: string;
  /** Node-RED: where the value comes from by default (`msg.payload` for file content). */
  nodeRedSource?: { type: 'msg' | 'flow' | 'global' | 'env'; value: string };
  /** n8n: show the field as a password (never echoed). */
  secret?: boolean;
  /**
   * The editors offer a list for the field (core/pickers.ts): `image` the known images (any ID still
   * goes), `mcpTool` the tools of the node's session. n8n: a resource locator / load options from node
   * version 2; Node-RED: suggestions from the config node's admin endpoint.
   */
  picker?: 'image' | 'mcpTool';
  /**
   * Only these runtimes show the field (absent: all). For settings that only make sense in one
   * runtime, e.g. Node-RED's delete-on-flow-stop; the others validate it with its default.
   */
  runtimes?: readonly RuntimeName[];
  /**
   * Fields that belong together (Create Session's sync policy): n8n gathers a group's fields in one
   * collection of that name, shown under the first member's `showWhen`; Node-RED shows them as
   * ordinary rows, each under its own `showWhen`. Not combined with `advanced`.
   */
  group?: ParameterGroup;
}

export interface ParameterGroup {
  /** The n8n collection's parameter name. */
  name: string;
  displayName: string;
}

export type RuntimeName = 'n8n' | 'node-red';

/** The parameters a runtime shows and reads (see `ParameterDefinition.runtimes`). */
export function parametersFor(operation: OperationDefinition, runtime: RuntimeName): readonly ParameterDefinition[] {
  return operation.parameters.filter((parameter) => !parameter.runtimes || parameter.runtimes.includes(runtime));
}

/** One documented field of the result, for help text and README tables. */
export interface OutputField {
  name: string;
  type: string;
  description: string;
  /** Present only in some results (`traceId` after some failures); all others are always set. */
  optional?: boolean;
}

/** A file produced by an operation: n8n binary data, Node-RED Buffer. */
export interface BinaryOutput {
  /** Key: n8n binary property name, Node-RED payload property. */
  key: string;
  data: Buffer;
  mimeType: string;
  fileName?: string;
}

/** What `execute` returns; `Json` is the result object, typed from `outputs[]` by `defineOperation`. */
export interface OperationOutput<Json extends object = Record<string, unknown>> {
  /** JSON-safe result fields (n8n item json, Node-RED msg.payload). */
  json: Json;
  binary?: BinaryOutput[];
  /** `undefined` keeps the incoming session; a value replaces it; `null` removes it (deleted). */
  session?: SessionRef | null;
  /** The context on the message, as for the session: `undefined` keeps it, a value replaces it, `null` removes it. */
  context?: ContextRef | null;
  /** A short note when the node succeeded without doing its work (Node-RED status, n8n log). */
  notice?: string;
}

export type SessionMode = 'none' | 'required' | 'optional';
/** Whether the node has a Context field, like the session field (see `OperationDefinition.context`). */
export type ContextMode = 'none' | 'required' | 'optional';

export interface OperationContextBase {
  /** Created on first use, so operations that make no call need no credentials. */
  readonly client: AgentBayClient;
  clock: Clock;
  /** Short progress text for long work (Node-RED status, n8n log). */
  progress(text: string | RuntimeText): void;
  signal?: AbortSignal;
  /**
   * The context the message carried, for every operation: Create Session mounts it (*Sync Context:
   * Context From Message*) without having a Context field of its own.
   */
  readonly carriedContext?: ContextRef;
}

/** Whether the node has a session field (`required` or `optional`). */
export const takesSession = (operation: Pick<OperationDefinition, 'session'>): boolean => operation.session !== 'none';

/** Whether the node has a Context field (`required` or `optional`). */
export const takesContext = (operation: Pick<OperationDefinition, 'context'>): boolean =>
  operation.context !== undefined && operation.context !== 'none';

/**
 * The context part of what `execute` gets: `contextRef` is the context the Context field names
 * (always set for `required`), `carriedContext` the one the message carried (to tell whether an
 * operation changed that one). Context-less operations read neither.
 */
export type ContextPart<Context extends ContextMode> = [Context] extends ['required']
  ? { readonly contextRef: ContextRef; readonly carriedContext?: ContextRef }
  : [Context] extends ['optional']
    ? { readonly contextRef?: ContextRef; readonly carriedContext?: ContextRef }
    : unknown;

/**
 * What `execute` gets besides its input. `session` exists only for `session: 'required'`
 * operations, where the runner has always resolved it, and may exist for `'optional'` ones (Delete
 * Session: nothing to delete without one); a session-less operation cannot read one.
 * The bare `OperationContext` (for helpers that never touch the session) has none.
 */
export type OperationContext<Session extends SessionMode = 'none', Context extends ContextMode = 'none'> = OperationContextBase &
  ([Session] extends ['required']
    ? { readonly session: SessionRef }
    : [Session] extends ['optional']
      ? { readonly session?: SessionRef }
      : unknown) &
  ContextPart<Context>;

/** Validated, coerced input as the runner hands it over, before an operation's own typing. */
export type OperationInput = Record<string, unknown>;

/**
 * The runtime-neutral view of an operation, which the adapters, help and README generators use.
 * Each operation file builds one with `defineOperation` (./define.ts), which types `execute`.
 */
export interface OperationDefinition {
  /** camelCase id, e.g. `createSession`. Node type names derive from it. */
  id: string;
  /** Title Case, e.g. `Create Session`. */
  displayName: string;
  /** One sentence (palette tooltip, n8n description). */
  summary: string;
  /** Markdown paragraphs for the Details section of the help. */
  details: string;
  /**
   * Whether the operation works on a session taken from the message/item. `optional`: the session
   * field is shown as for `required`, but a message without a session reaches `execute` with
   * `context.session` undefined instead of failing validation (Delete Session: nothing to delete).
   */
  session: SessionMode;
  /**
   * Whether the operation works on a context, named by a Context field that defaults to the context
   * on the message (as the Session field does). `optional`: an empty field reaches `execute` with
   * `context.contextRef` undefined. Absent: `none`.
   */
  context?: ContextMode;
  parameters: readonly ParameterDefinition[];
  outputs: readonly OutputField[];
  /** Makes no API call, so it needs no credentials (Generate Context Name). */
  offline?: boolean;
  /** n8n: whether an AI agent may use the node as a tool (false only where a model could not fill the input). */
  usableAsTool?: boolean;
  /** Method syntax on purpose: each operation's `execute` takes its own narrower input and context. */
  execute(context: RuntimeContext, input: OperationInput): Promise<OperationOutput>;
}

/** The context the runner builds: the session is set whenever the operation requires one. */
export type RuntimeContext = OperationContextBase & {
  readonly session?: SessionRef;
  readonly contextRef?: ContextRef;
  readonly carriedContext?: ContextRef;
};
