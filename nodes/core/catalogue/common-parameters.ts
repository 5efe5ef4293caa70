/** Parameter definitions that several operations share, written once. */
import type { ParameterDefinition } from './types';

export const labelsParameter = (description: string): ParameterDefinition => ({
  name: 'labels',
  displayName: 'Labels',
  description,
  kind: 'stringMap',
  default: {},
  schema: { type: 'object', additionalProperties: { type: 'string' } },
  expected: 'a JSON object of string keys to string values, e.g. {"project":"demo"}',
});

export function timeoutSecondsParameter(
  name: string,
  displayName: string,
  description: string,
  defaultSeconds: number,
  maxSeconds: number,
): ParameterDefinition {
  return {
    name,
    displayName,
    description,
    kind: 'number',
    default: defaultSeconds,
    advanced: true,
    schema: { type: 'integer', minimum: 1, maximum: maxSeconds },
    expected: `a whole number of seconds from 1 to ${maxSeconds}`,
  };
}

export const waitParameter = (name: string, displayName: string, description: string): ParameterDefinition => ({
  name,
  displayName,
  description,
  kind: 'boolean',
  default: true,
  advanced: true,
  schema: { type: 'boolean' },
  expected: 'true or false',
});
