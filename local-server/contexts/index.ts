/**
 * Contexts on the local server: the persistent store, the sessions' syncs and the signed file URLs,
 * bundled for the Action handlers and the /context-files/ path.
 */
import type { FileUrlSigner } from './file-urls';
import type { ContextStore } from './store';
import type { ContextSyncs } from './sync';

export interface ContextService {
  readonly store: ContextStore;
  readonly syncs: ContextSyncs;
  readonly urls: FileUrlSigner;
  /** How long ClearContext reports `clearing`. */
  readonly clearDelayMs: number;
  /** Background work (clears in progress) that closing the server waits for. */
  readonly pending: Set<Promise<void>>;
}
