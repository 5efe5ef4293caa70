/**
 * The temporary-session mode of the nodes that use a session (Execute Command, Run Code, the file
 * nodes): what it adds to their definition. Running it is `nodes/core/temporary-session.ts`.
 */
import type { OperationDefinition, OutputField, ParameterDefinition } from './types';

export const IF_NO_SESSION = 'ifNoSession';
export const TEMPORARY_IMAGE = 'temporaryImageId';
export const USE_TEMPORARY = 'temporary';

const ifNoSessionParameter: ParameterDefinition = {
  name: IF_NO_SESSION,
  displayName: 'If No Session',
  description:
    'What to do when no session is given. Fail suits flows that chain nodes on one session; a temporary session is created for this run only and deleted afterwards, also when the node fails or is cancelled.',
  kind: 'options',
  default: 'fail',
  options: [
    { name: 'Fail', value: 'fail', description: 'Stop with an error: put a Create Session node before this one' },
    { name: 'Use a Temporary Session', value: USE_TEMPORARY, description: 'Create a session, do the work, delete the session' },
  ],
  schema: { type: 'string', enum: ['fail', USE_TEMPORARY] },
  expected: `fail or ${USE_TEMPORARY}`,
};

function temporaryImageParameter(defaultImage: string): ParameterDefinition {
  return {
    name: TEMPORARY_IMAGE,
    displayName: 'Temporary Session Image',
    description: 'The image the temporary session starts from.',
    kind: 'string',
    default: defaultImage,
    placeholder: defaultImage,
    picker: 'image',
    schema: { type: 'string', minLength: 1, maxLength: 256 },
    expected: `an image id such as ${defaultImage}`,
    showWhen: { [IF_NO_SESSION]: [USE_TEMPORARY] },
  };
}

const temporarySessionOutput: OutputField = {
  name: 'temporarySessionId',
  type: 'string',
  description: 'Present when a temporary session was used: its ID (the session is already deleted).',
  optional: true,
};

const TEMPORARY_DETAILS =
  'With **If No Session: Use a Temporary Session**, a message or item that brings no session gets a session of its own, created from the chosen image and deleted as soon as the node is done (also on error and cancellation). The result says so in `temporarySessionId` and carries no session on. Each run starts from a fresh sandbox, so files do not survive from one node to the next: chain nodes on one session from Create Session for that.';

/** The definition with the If No Session choice (placed right after the session field) and its output. */
export function withTemporarySession(operation: OperationDefinition, defaultImage: string): OperationDefinition {
  if (operation.session !== 'required') throw new Error(`${operation.id} takes no session; a temporary one makes no sense`);
  return {
    ...operation,
    details: `${operation.details}\n\n${TEMPORARY_DETAILS}`,
    parameters: [ifNoSessionParameter, temporaryImageParameter(defaultImage), ...operation.parameters],
    outputs: [...operation.outputs, temporarySessionOutput],
  };
}

export function offersTemporarySession(operation: OperationDefinition): boolean {
  return operation.parameters.some((parameter) => parameter.name === IF_NO_SESSION);
}
