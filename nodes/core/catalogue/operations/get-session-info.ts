import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { getSessionDetails } from '../session-api';
import { rememberToolList } from '../tool-servers';

export const getSessionInfo = defineOperation({
  id: 'getSessionInfo',
  displayName: 'Get Session Info',
  summary: 'Returns the raw connection fields of a session (resource, network interface, port, token).',
  details: [
    'Reads the session with GetSession and returns its raw fields as the API gives them, for flows that connect to the session themselves.',
    'The token is a credential for the session: do not log it or send it elsewhere.',
  ].join('\n\n'),
  session: 'required',
  parameters: [],
  outputs: [
    { name: 'sessionId', type: 'string', description: 'ID of the session.' },
    { name: 'appInstanceId', type: 'string', description: 'App instance ID.' },
    { name: 'resourceId', type: 'string', description: 'Resource ID.' },
    { name: 'resourceUrl', type: 'string', description: 'URL of the session resource.' },
    { name: 'vpcResource', type: 'boolean', description: 'Whether the session lives in a VPC.' },
    { name: 'networkInterfaceIp', type: 'string', description: 'IP of the network interface (VPC sessions).' },
    { name: 'httpPort', type: 'string', description: 'HTTP port (VPC sessions).' },
    { name: 'token', type: 'string', description: 'Access token of the session.' },
    requestIdOutput,
  ],
  async execute(context) {
    const details = await getSessionDetails(context.client, context.session.sessionId, { signal: context.signal });
    rememberToolList(context.client, details.sessionId, details.toolList);
    return {
      json: {
        sessionId: details.sessionId,
        appInstanceId: details.appInstanceId,
        resourceId: details.resourceId,
        resourceUrl: details.resourceUrl,
        vpcResource: details.vpcResource,
        networkInterfaceIp: details.networkInterfaceIp,
        httpPort: details.httpPort,
        token: details.token,
        requestId: details.requestId,
      },
    };
  },
});
