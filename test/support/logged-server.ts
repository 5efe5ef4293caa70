/** A local server whose request log the leak-proof tests read: which actions reached it, for which session. */
import type { LocalServer } from '../../local-server/server';
import { startTestServer } from './local-server';

export interface LoggedServer {
  server: LocalServer;
  /** The server's log lines, one per request (`POST <Action> <sessionId> -> <status> <code> <ms> <requestId>`). */
  lines: string[];
}

export async function startLoggedServer(): Promise<LoggedServer> {
  const lines: string[] = [];
  const server = await startTestServer({ log: (line) => lines.push(line) });
  return { server, lines };
}

/** How many requests for `action` on `sessionId` the server answered. */
export function requestsFor(lines: readonly string[], action: string, sessionId: string): number {
  return lines.filter((line) => line.startsWith(`POST ${action} ${sessionId} ->`) || line.startsWith(`GET ${action} ${sessionId} ->`)).length;
}

/** The request id the server logged for the last `action` request. */
export function lastRequestId(lines: readonly string[], action: string): string {
  const line = [...lines].reverse().find((candidate) => / /.test(candidate) && candidate.split(' ')[1] === action);
  if (!line) throw new Error(`the server logged no ${action} request`);
  return line.split(' ').at(-1) ?? '';
}
