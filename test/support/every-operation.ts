/**
 * Inputs for the generic adapter tests, which run every operation of the catalogue through each
 * runtime: a session that never existed (the service answers not-found, or the operation needs
 * no live session), a required value for each required parameter, and one parameter value that
 * validation must refuse before any request.
 */
import type { OperationDefinition, ParameterDefinition } from '../../nodes/core/catalogue/types';

/** A well-formed session the local server never made. */
export const UNKNOWN_SESSION = { sessionId: 'session-never-created-0123456789', imageId: 'linux_latest' };

/** A well-formed context the local server never made. */
export const UNKNOWN_CONTEXT = { contextId: 'SdkCtx-nevercreated000001', name: 'never-created' };

/** Operations with a Context field (required or optional) get a malformed context as their bad input. */
export const takesContextField = (operation: OperationDefinition): boolean => (operation.context ?? 'none') !== 'none';

/** Well-formed values for required parameters whose kind alone does not give one. */
const VALID_BY_NAME: Record<string, unknown> = {
  edits: [{ oldText: 'a', newText: 'b' }],
  labels: { team: 'qa' },
  paths: ['/home/wuying/a.txt'],
  path: '/home/wuying/a.txt',
  source: '/home/wuying/a.txt',
  destination: '/home/wuying/b.txt',
  pattern: '*.txt',
  command: 'true',
  code: '1',
  content: 'text',
  toolName: 'shell',
  url: 'http://127.0.0.1/',
  schema: { type: 'object', properties: { title: { type: 'string' } } },
  instruction: 'read the title',
};

/** Every required parameter with a valid value, as the runtime-neutral core takes them. */
export function requiredValues(operation: OperationDefinition): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const parameter of operation.parameters) {
    if (!parameter.required) continue;
    values[parameter.name] = VALID_BY_NAME[parameter.name] ?? (parameter.kind === 'options' ? parameter.options?.[0]?.value : 'x');
  }
  return values;
}

export interface BadValue {
  parameter: ParameterDefinition;
  value: unknown;
}

/**
 * A value validation refuses, for an operation that takes no session (those with a session get a
 * malformed session instead): not JSON for a JSON field, below the minimum for a bounded number.
 */
export function badValue(operation: OperationDefinition): BadValue {
  for (const parameter of operation.parameters) {
    if (parameter.showWhen) continue;
    if (parameter.kind === 'json' || parameter.kind === 'stringMap') return { parameter, value: '{not json' };
    const minimum = (parameter.schema as { minimum?: unknown } | undefined)?.minimum;
    if (parameter.kind === 'number' && typeof minimum === 'number') return { parameter, value: minimum - 1 };
    const maxLength = (parameter.schema as { maxLength?: unknown } | undefined)?.maxLength;
    if (parameter.kind === 'string' && typeof maxLength === 'number') return { parameter, value: 'x'.repeat(maxLength + 1) };
  }
  throw new Error(`${operation.id}: no parameter to give a bad value; extend badValue`);
}
