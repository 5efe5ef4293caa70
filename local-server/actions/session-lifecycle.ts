/**
 * DeleteSessionAsync / ReleaseMcpSession and PauseSessionAsync / ResumeSessionAsync (docs/protocol.md §3.1).
 * They answer at once; the state change finishes in the background (see session-store.ts).
 */
import { compileParams, sessionIdField } from '../protocol/validate';
import { defineAction } from './types';

interface SessionParams {
  SessionId: string;
}

const validateSession = compileParams<SessionParams>({ SessionId: sessionIdField });

export const deleteSessionAsync = defineAction('DeleteSessionAsync', validateSession, (ctx, p) => {
  ctx.store.delete(p.SessionId);
  return {};
});

/** The Action SDK ≤0.13 used for delete; same behaviour. */
export const releaseMcpSession = defineAction('ReleaseMcpSession', validateSession, (ctx, p) => {
  ctx.store.delete(p.SessionId);
  return {};
});

export const pauseSessionAsync = defineAction('PauseSessionAsync', validateSession, (ctx, p) => {
  ctx.store.pause(p.SessionId);
  return {};
});

export const resumeSessionAsync = defineAction('ResumeSessionAsync', validateSession, (ctx, p) => {
  ctx.store.resume(p.SessionId);
  return {};
});
