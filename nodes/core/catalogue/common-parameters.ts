/**
 * Parameter and output definitions that several operations share, written once. Each keeps its
 * literal name, kind and default, so `defineOperation` can type the input of the operations using it.
 */
import type { ParameterDefinition } from './types';
import { defineOutput, defineParameter } from './define';

/** The `requestId` every API operation returns. */
export const requestIdOutput = defineOutput({ name: 'requestId', type: 'string', description: 'ID of the API request.' });

/** The `requestId` of operations that make several calls. */
export const lastRequestIdOutput = defineOutput({ name: 'requestId', type: 'string', description: 'ID of the last API request.' });

export const labelsParameter = (description: string) =>
  defineParameter({
    name: 'labels',
    displayName: 'Labels',
    description,
    kind: 'stringMap',
    default: {},
    schema: { type: 'object', additionalProperties: { type: 'string' } },
    expected: 'a JSON object of string keys to string values, e.g. {"project":"demo"}',
  });

export function timeoutSecondsParameter<const Name extends string>(
  name: Name,
  displayName: string,
  description: string,
  defaultSeconds: number,
  maxSeconds: number,
) {
  return defineParameter({
    name,
    displayName,
    description,
    kind: 'number',
    default: defaultSeconds,
    advanced: true,
    schema: { type: 'integer', minimum: 1, maximum: maxSeconds },
    expected: `a whole number of seconds from 1 to ${maxSeconds}`,
  });
}

export const waitParameter = <const Name extends string>(name: Name, displayName: string, description: string) =>
  defineParameter({
    name,
    displayName,
    description,
    kind: 'boolean',
    default: true,
    advanced: true,
    schema: { type: 'boolean' },
    expected: 'true or false',
  });

/**
 * Create Session, Node-RED only (n8n has no hook for a workflow that stops): whether the node
 * deletes its still-open sessions when the flow is stopped or redeployed.
 */
export const DELETE_ON_STOP = 'deleteOnStop';

export const deleteOnStopParameter: ParameterDefinition = {
  name: DELETE_ON_STOP,
  displayName: 'Delete When Flow Stops',
  description:
    'Whether to delete the sessions this node created that are still open when the flow is stopped or redeployed. Turn it off for a session kept on purpose, e.g. stored in flow context for later runs.',
  kind: 'boolean',
  default: true,
  schema: { type: 'boolean' },
  expected: 'true or false',
  runtimes: ['node-red'],
};
