import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { asRecord, str } from '../session-api';
import { sessionCallError } from './session-helpers';

export const getResourceInfo = defineOperation({
  id: 'getResourceInfo',
  displayName: 'Get Resource Info',
  summary: 'Returns the remote-desktop resource of a session: app ID, auth code, ticket and connection properties.',
  details: [
    'Calls GetMcpResource, which is what the SDK’s `session.info()` returns: the fields a viewer needs to open the session’s desktop or stream (app ID, auth code, connection properties, resource ID and type, ticket).',
    'This differs from **Get Session Info**, which reads GetSession and returns the network side of the session (resource URL, VPC interface IP, HTTP port, token).',
    '**The auth code and the ticket are secrets of the session:** anyone holding them can connect to it while it runs. Do not log them or send them anywhere you would not send an API key.',
    'A session that no longer exists fails with `Session <id> not found`; other failures read `Failed to get session info for session <id>: ...`.',
  ].join('\n\n'),
  session: 'required',
  parameters: [],
  outputs: [
    { name: 'sessionId', type: 'string', description: 'ID of the session.' },
    { name: 'resourceUrl', type: 'string', description: 'URL of the session resource.' },
    { name: 'appId', type: 'string', description: 'App ID of the desktop resource.' },
    { name: 'authCode', type: 'string', description: 'Auth code to connect to the resource (secret).' },
    { name: 'connectionProperties', type: 'string', description: 'Connection properties of the resource.' },
    { name: 'resourceId', type: 'string', description: 'Resource ID.' },
    { name: 'resourceType', type: 'string', description: 'Resource type.' },
    { name: 'ticket', type: 'string', description: 'Connection ticket (secret).' },
    requestIdOutput,
  ],
  async execute(context) {
    const sessionId = context.session.sessionId;
    let envelope;
    try {
      envelope = await context.client.call('GetMcpResource', { SessionId: sessionId }, { signal: context.signal });
    } catch (error) {
      // Not found reads `Session <id> not found` with no prefix, as the SDK reports it.
      throw sessionCallError(error, sessionId, `Failed to get session info for session ${sessionId}: `, '');
    }
    const data = asRecord(envelope.Data);
    const desktop = asRecord(data.DesktopInfo);
    return {
      json: {
        sessionId: str(data.SessionId) || sessionId,
        resourceUrl: str(data.ResourceUrl),
        appId: str(desktop.AppId),
        authCode: str(desktop.AuthCode),
        connectionProperties: str(desktop.ConnectionProperties),
        resourceId: str(desktop.ResourceId),
        resourceType: str(desktop.ResourceType),
        ticket: str(desktop.Ticket),
        requestId: str(envelope.RequestId),
      },
    };
  },
});
