import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { asRecord, str } from '../session-api';
import type { ParameterDefinition } from '../types';
import { fieldLabel } from '../validation';
import { sessionCallError, tryParseJson } from './session-helpers';

export const PORT_MIN = 30100;
export const PORT_MAX = 30199;

const portParameter: ParameterDefinition = {
  name: 'port',
  displayName: 'Port',
  description: `Port inside the session to link to, from ${PORT_MIN} to ${PORT_MAX}. Leave empty (or 0) for the session’s default link.`,
  kind: 'number',
  default: null,
  placeholder: '30150',
  // Range checked in execute, so the SDK's exact message is shown.
  schema: { type: 'number' },
  expected: `an integer from ${PORT_MIN} to ${PORT_MAX}, or empty`,
};

/**
 * The SDK's port rule (docs/protocol.md §4.2 getLink). 0 counts as "no port": it is what an empty Node-RED
 * number field evaluates to, and older SDKs skipped the check for any falsy port.
 */
function checkedPort(value: unknown): number | undefined {
  if (value === undefined || value === null || value === 0) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < PORT_MIN || port > PORT_MAX) {
    throw new InputValidationError(
      portParameter.name,
      portParameter.expected,
      `${fieldLabel(portParameter)}: Invalid port value: ${String(value)}. Port must be an integer in the range [${PORT_MIN}, ${PORT_MAX}].`,
    );
  }
  return port;
}

export const getLink = defineOperation({
  id: 'getLink',
  displayName: 'Get Link',
  summary: 'Returns a URL through which a port or service of the session can be reached from outside.',
  details: [
    'Calls GetLink, as the SDK’s `session.getLink()` does. Give a **Protocol Type** (e.g. https or wss) and a **Port** from 30100 to 30199 to reach a service you started in the session on that port.',
    'A port outside the range is refused before any request, with the SDK’s message `Invalid port value: <port>. Port must be an integer in the range [30100, 30199].`',
    'Anyone with the URL may reach the service while the session runs: treat it like a password. Other failures read `Failed to get link: ...`.',
  ].join('\n\n'),
  session: 'required',
  parameters: [
    {
      name: 'protocolType',
      displayName: 'Protocol Type',
      description: 'Protocol of the link, e.g. https or wss. Leave empty for the service default.',
      kind: 'string',
      default: '',
      placeholder: 'https',
      schema: { type: 'string', maxLength: 32 },
      expected: 'a protocol name such as https or wss, or empty',
    },
    portParameter,
    {
      name: 'option',
      displayName: 'Option',
      description: 'Extra option string passed to GetLink as is.',
      kind: 'string',
      default: '',
      advanced: true,
      schema: { type: 'string' },
      expected: 'an option string, or empty',
    },
  ],
  outputs: [
    { name: 'url', type: 'string', description: 'The link.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const port = checkedPort(input.port);
    const sessionId = context.session.sessionId;
    let envelope;
    try {
      envelope = await context.client.call(
        'GetLink',
        {
          Option: str(input.option) || undefined,
          Port: port,
          ProtocolType: str(input.protocolType) || undefined,
          SessionId: sessionId,
        },
        { signal: context.signal },
      );
    } catch (error) {
      throw sessionCallError(error, sessionId, 'Failed to get link: ');
    }
    const requestId = str(envelope.RequestId);
    // Data may be a JSON string holding the object (SDK); an unreadable one counts as empty.
    const data = asRecord(typeof envelope.Data === 'string' ? tryParseJson(envelope.Data)?.value : envelope.Data);
    const url = str(data.Url) || str(data.url);
    if (!url) throw new AgentBayError('Failed to get link: the response carries no Url', { code: 'InvalidResponse', requestId });
    return { json: { url, requestId } };
  },
});
