/**
 * Every operation's bad input is refused before any request, with an error naming the field:
 * a missing required value, and a value of the wrong kind for each parameter. The client factory
 * throws, so any attempt to reach the API fails the test.
 */
import { strict as assert } from 'node:assert';
import { operations } from '../../../../nodes/core/catalogue/index';
import type { OperationDefinition, ParameterDefinition } from '../../../../nodes/core/catalogue/types';
import { InputValidationError } from '../../../../nodes/core/client/errors';
import { runOperation } from '../../../../nodes/core/run-operation';

/** A value of the wrong kind for each parameter kind (what a mis-wired message would carry). */
const WRONG_VALUE: Record<ParameterDefinition['kind'], unknown> = {
  string: { not: 'a string' },
  text: 42,
  code: ['not', 'code'],
  number: 'twelve',
  boolean: 'maybe',
  options: 'no-such-option',
  json: '{not json',
  stringMap: '["an","array"]',
  stringList: 42,
  data: { an: 'object' },
};

/** Valid values for the required parameters whose form a kind alone does not give. */
const VALID_BY_NAME: Record<string, unknown> = {
  edits: [{ oldText: 'a', newText: 'b' }],
  labels: { team: 'qa' },
  paths: ['/home/wuying/a.txt'],
  schema: { type: 'object', properties: { title: { type: 'string' } } },
  url: 'https://example.com/',
  folder: '/home/wuying',
  filePath: '/home/wuying/a.txt',
};

function validInput(operation: OperationDefinition): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const parameter of operation.parameters) {
    if (!parameter.required) continue;
    input[parameter.name] =
      VALID_BY_NAME[parameter.name] ?? (parameter.kind === 'options' ? parameter.options?.[0]?.value : 'x');
  }
  return input;
}

/** Values of the other parameters that make this one shown (a hidden value is dropped, not checked). */
function shownBy(parameter: ParameterDefinition): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameter.showWhen ?? {}).map(([name, values]) => [name, values[0]]));
}

async function expectRefused(operation: OperationDefinition, raw: Record<string, unknown>, parameter: ParameterDefinition): Promise<void> {
  await assert.rejects(
    runOperation(operation, {
      rawParameters: raw,
      rawSession: { sessionId: 'session-unused' },
      sessionField: 'Session',
      rawContext: { contextId: 'SdkCtx-unused' },
      getClient: () => {
        throw new Error('a request was attempted before the input was checked');
      },
      progress: () => undefined,
    }),
    (error: Error) => {
      assert.ok(error instanceof InputValidationError, `${operation.id}.${parameter.name}: ${error.message}`);
      assert.ok(
        error.message.includes(parameter.displayName) || error.message.includes(`(${parameter.name})`),
        `${operation.id}: "${error.message}" names ${parameter.displayName}`,
      );
      return true;
    },
  );
}

describe('bad input, every operation', () => {
  for (const operation of operations) {
    describe(operation.displayName, () => {
      for (const parameter of operation.parameters) {
        if (parameter.required) {
          it(`refuses a missing ${parameter.displayName}`, () => {
            const raw = validInput(operation);
            delete raw[parameter.name];
            return expectRefused(operation, raw, parameter);
          });
        }
        if (parameter.kind === 'options' && !(parameter.options ?? []).some((option) => option.value === '')) {
          it(`refuses ${parameter.displayName} outside its options`, () =>
            expectRefused(operation, { ...validInput(operation), ...shownBy(parameter), [parameter.name]: WRONG_VALUE.options }, parameter));
        } else if (parameter.kind !== 'options') {
          it(`refuses ${parameter.displayName} of the wrong kind`, () =>
            expectRefused(operation, { ...validInput(operation), ...shownBy(parameter), [parameter.name]: WRONG_VALUE[parameter.kind] }, parameter));
        }
      }
    });
  }

  it('refuses a missing session for every operation that needs one, naming the field', async () => {
    for (const operation of operations.filter((candidate) => candidate.session === 'required')) {
      await assert.rejects(
        runOperation(operation, {
          rawParameters: validInput(operation),
          rawSession: undefined,
          sessionField: 'Session ID',
          getClient: () => {
            throw new Error('a request was attempted');
          },
          progress: () => undefined,
        }),
        (error: Error) => {
          assert.ok(error instanceof InputValidationError, operation.id);
          assert.match(error.message, /^Session ID must be a session object with a sessionId/, operation.id);
          return true;
        },
      );
    }
  });
});
