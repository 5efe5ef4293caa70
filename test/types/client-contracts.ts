/**
 * Compile-time tests of `client.call` (built by `npm run build`, never run): the action name and
 * its request fields are typed by the action map; each `@ts-expect-error` must stay an error.
 */
import type { AgentBayClient } from '../../nodes/core/client/client';

export async function typedCalls(client: AgentBayClient): Promise<unknown[]> {
  const results: unknown[] = [];
  // Correct calls compile, and `Data` exposes the documented field names.
  const session = await client.call('GetSession', { SessionId: 's-1' });
  results.push(session.Data?.Status, session.Data?.ToolList);
  results.push(await client.call('ListSession', { Labels: '{}', MaxResults: 10 }));

  // @ts-expect-error unknown action name
  results.push(await client.call('GetSesion', { SessionId: 's-1' }));
  // @ts-expect-error SessionId is a string
  results.push(await client.call('GetSession', { SessionId: 42 }));
  // @ts-expect-error SessionId is required for GetSession
  results.push(await client.call('GetSession', {}));
  // @ts-expect-error a field GetSession does not take
  results.push(await client.call('GetSession', { SessionId: 's-1', ImageId: 'linux_latest' }));
  // @ts-expect-error a misspelt field of GetSession's Data
  results.push(session.Data?.Statuss);
  return results;
}
