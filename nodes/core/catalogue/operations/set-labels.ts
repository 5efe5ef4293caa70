import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { InputValidationError } from '../../client/errors';
import type { SessionRef } from '../session';
import { str } from '../session-api';
import type { OperationContext, ParameterDefinition } from '../types';
import { fieldLabel } from '../validation';
import { sessionCallError } from './session-helpers';
import { readSessionLabels } from './get-labels';
import { CLIENT_TOKEN_LABEL, CREATED_AT_LABEL } from '../lost-create';

const LABELS_EXPECTED = 'a non-empty JSON object of string keys to non-empty string values, e.g. {"project":"demo"}';

/** No JSON Schema: the SDK's own checks run in execute, so its exact messages reach the user. */
const labelsParameter: ParameterDefinition = {
  name: 'labels',
  displayName: 'Labels',
  description: `The labels the session should carry, e.g. {"project":"demo"}. They replace all the labels it had, except ${CREATED_AT_LABEL} and ${CLIENT_TOKEN_LABEL}, which are kept.`,
  kind: 'stringMap',
  default: {},
  required: true,
  expected: LABELS_EXPECTED,
};

function invalid(message: string): InputValidationError {
  return new InputValidationError(labelsParameter.name, LABELS_EXPECTED, `${fieldLabel(labelsParameter)}: ${message}`);
}

/**
 * `Session.setLabels` validation (docs/protocol.md §4.2), in the SDK's order and with its exact messages, plus
 * one of ours: values must be strings (the SDK would fail on `.trim()` of a number).
 */
export function validateLabels(labels: unknown): Record<string, string> {
  if (!labels || typeof labels !== 'object') {
    throw invalid('Labels cannot be null, undefined, or invalid type. Please provide a valid labels object.');
  }
  if (Array.isArray(labels)) throw invalid('Labels cannot be an array. Please provide a valid labels object.');
  const prototype: unknown = Object.getPrototypeOf(labels);
  if (prototype !== Object.prototype && prototype !== null) {
    throw invalid('Labels must be a plain object. Built-in object types are not allowed.');
  }
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length === 0) throw invalid('Labels cannot be empty. Please provide at least one label.');
  for (const [key, value] of entries) {
    if (!key || key.trim() === '') throw invalid('Label keys cannot be empty Please provide valid keys.');
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
      throw invalid('Label values cannot be empty Please provide valid values.');
    }
    if (typeof value !== 'string') {
      throw invalid(`Label values must be strings: the value of "${key}" is ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}.`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** The package's own labels (creation time, client token) the session has, kept under `given`. */
async function withPackageLabels(context: OperationContext, sessionId: string, given: Record<string, string>): Promise<Record<string, string>> {
  const current = (await readSessionLabels(context, sessionId, `Failed to set labels for session ${sessionId}: `)).labels;
  const kept: Record<string, string> = {};
  for (const key of [CREATED_AT_LABEL, CLIENT_TOKEN_LABEL]) {
    const value = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
    if (typeof value === 'string' && value !== '' && !Object.prototype.hasOwnProperty.call(given, key)) kept[key] = value;
  }
  return { ...given, ...kept };
}

export const setLabels = defineOperation({
  id: 'setLabels',
  displayName: 'Set Labels',
  summary: 'Replaces the labels of a session, e.g. to mark it for List Sessions.',
  details: [
    'Sets the session’s labels with SetLabel, as the SDK’s `session.setLabels()` does. The given labels replace the whole set; to add one, read the labels with **Get Labels** first and merge.',
    'The labels are checked before any request, with the SDK’s messages: they must be a non-empty object, keys and values must not be empty (`Labels cannot be empty. Please provide at least one label.`, `Label keys cannot be empty Please provide valid keys.`, `Label values cannot be empty Please provide valid values.`). Values must be strings.',
    `The labels this package puts on every session it creates (\`${CREATED_AT_LABEL}\`, \`${CLIENT_TOKEN_LABEL}\`) are kept unless the new labels name them, so **Delete Idle Sessions** can still tell the session’s age; this reads the current labels first (GetLabel).`,
    'The session on the message is updated with the new labels.',
  ].join('\n\n'),
  session: 'required',
  parameters: [labelsParameter],
  outputs: [
    { name: 'labels', type: 'object', description: 'The labels now set on the session.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const given = validateLabels(input.labels);
    const incoming = context.session;
    const labels = await withPackageLabels(context, incoming.sessionId, given);
    let envelope;
    try {
      envelope = await context.client.call(
        'SetLabel',
        { Labels: JSON.stringify(labels), SessionId: incoming.sessionId },
        { signal: context.signal },
      );
    } catch (error) {
      throw sessionCallError(error, incoming.sessionId, `Failed to set labels for session ${incoming.sessionId}: `);
    }
    const session: SessionRef = { ...incoming, labels };
    return { json: { labels, requestId: str(envelope.RequestId) }, session };
  },
});
