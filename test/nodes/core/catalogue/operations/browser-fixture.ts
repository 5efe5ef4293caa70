/**
 * What the browser operation tests share: a local server, a page on loopback, sessions made through the catalogue's
 * Create Session and always deleted, and a run of an operation that must fail before any request.
 */
import { operationById } from '../../../../../nodes/core/catalogue/index';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import { runOperation } from '../../../../../nodes/core/run-operation';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { clientFor, startTestServer } from '../../../../support/local-server';
import { serveTestPage, type TestPage } from '../../../../support/browser';
import { runCore, SessionTracker } from '../../../../support/core-session';

export { runCore };

export interface BrowserFixture {
  server: LocalServer;
  client: AgentBayClient;
  page: TestPage;
  sessions: SessionTracker;
  /** A new session of `imageId` (default browser_latest), deleted after the suite. */
  session(imageId?: string): Promise<SessionRef>;
}

/** Registers before/after hooks of the calling suite and returns the fixture they fill. */
export function useBrowserFixture(): BrowserFixture {
  const fixture = {} as BrowserFixture;
  before(async () => {
    fixture.server = await startTestServer();
    fixture.client = clientFor(fixture.server);
    fixture.page = await serveTestPage();
    fixture.sessions = new SessionTracker(() => fixture.client);
    fixture.session = async (imageId = 'browser_latest') => {
      const { output } = await runCore(fixture.client, 'createSession', { imageId, labels: { suite: 'browser' } });
      const session = output.session as SessionRef;
      fixture.sessions.track(session.sessionId);
      return session;
    };
  });
  after(async () => {
    await fixture.sessions?.deleteAll();
    await fixture.server?.close();
    await fixture.page?.close();
  });
  return fixture;
}

/** Runs an operation whose input must be refused before any request: the client may not even be made. */
export async function refusedBeforeAnyRequest(operationId: string, rawParameters: Record<string, unknown>): Promise<Error> {
  try {
    await runOperation(operationById(operationId), {
      rawParameters,
      rawSession: { sessionId: 'session-unused' },
      sessionField: 'Session',
      getClient: () => {
        throw new Error('a request was attempted before the input was checked');
      },
      progress: () => undefined,
    });
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error(`${operationId} accepted the input`);
}
