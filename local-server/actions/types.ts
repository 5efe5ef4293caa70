/**
 * What an Action handler receives and returns. Handlers are pure protocol logic: parameters in,
 * `Data` (and envelope-level fields) out; errors are thrown as ApiError.
 */
import type { BrowserService } from '../browser/browser-service';
import type { ContextService } from '../contexts';
import type { RawParams } from '../protocol/params';
import type { ParamValidator } from '../protocol/validate';
import type { WorkspaceFactory } from '../sandbox/contract';
import type { SessionStore } from '../session-store';

export interface ServerInfo {
  /** e.g. `http://127.0.0.1:8720`, used to build ResourceUrl and GetLink URLs. */
  readonly url: string;
}

export interface ActionContext {
  readonly raw: RawParams;
  readonly store: SessionStore;
  readonly factory: WorkspaceFactory;
  readonly server: ServerInfo;
  readonly contexts: ContextService;
  readonly browsers: BrowserService;
  /** Aborted when the client goes away before the answer. */
  readonly signal: AbortSignal;
}

export interface ActionResult {
  /** `undefined`: the envelope has no `Data`. */
  data?: unknown;
  /** Envelope-level fields next to `Data` (pagination). */
  envelope?: Record<string, unknown>;
}

export interface ActionDefinition {
  readonly name: string;
  /** HTTP methods accepted; POST only unless the cloud API says otherwise. */
  readonly methods: readonly string[];
  handle(ctx: ActionContext): Promise<ActionResult>;
}

/** Ties a validator to a handler so each Action's parameter type is checked once. */
export function defineAction<P>(
  name: string,
  validate: ParamValidator<P>,
  run: (ctx: ActionContext, params: P) => Promise<ActionResult> | ActionResult,
  options: { methods?: readonly string[] } = {},
): ActionDefinition {
  return {
    name,
    methods: options.methods ?? ['POST'],
    handle: async (ctx) => run(ctx, validate(ctx.raw)),
  };
}
