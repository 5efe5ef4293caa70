import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { getSessionDetails } from '../session-api';
import { rememberToolList } from '../tool-servers';

export const getSession = defineOperation({
  id: 'getSession',
  displayName: 'Get Session',
  summary: 'Looks up a session by ID and puts it on the message, e.g. to resume work on a session made earlier.',
  details: [
    'Fetches the session with GetSession. Use it to pick up a session created by another flow or run: give its ID and the nodes after it work on it.',
    'An unknown ID fails with `Failed to get session <id>: Session <id> not found`.',
  ].join('\n\n'),
  session: 'required',
  parameters: [],
  outputs: [
    { name: 'sessionId', type: 'string', description: 'ID of the session.' },
    { name: 'status', type: 'string', description: 'RUNNING, PAUSED, ...' },
    { name: 'resourceUrl', type: 'string', description: 'URL of the session resource.' },
    { name: 'appInstanceId', type: 'string', description: 'App instance ID.' },
    { name: 'resourceId', type: 'string', description: 'Resource ID.' },
    { name: 'tools', type: 'string[]', description: 'Names of the MCP tools the session offers.' },
    { name: 'contexts', type: 'object[]', description: 'Contexts mounted in the session ({id, name}).' },
    requestIdOutput,
  ],
  async execute(context) {
    const incoming = context.session;
    const details = await getSessionDetails(context.client, incoming.sessionId, { signal: context.signal });
    rememberToolList(context.client, details.sessionId, details.toolList);
    return {
      json: {
        sessionId: details.sessionId,
        status: details.status,
        resourceUrl: details.resourceUrl,
        appInstanceId: details.appInstanceId,
        resourceId: details.resourceId,
        tools: details.toolNames,
        contexts: details.contexts,
        requestId: details.requestId,
      },
      session: { ...incoming, sessionId: details.sessionId, resourceUrl: details.resourceUrl },
    };
  },
});
