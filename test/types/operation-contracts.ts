/**
 * Compile-time tests of the operation contracts (built by `npm run build`, never run). Each
 * `@ts-expect-error` marks a mistake tsc must refuse; if a contract stopped holding, the mistake
 * would compile and tsc would fail the build with "Unused '@ts-expect-error' directive".
 */
import {
  defineOperation,
  describeOperation,
  implementOperation,
  type ContextOfShape,
  type InputOf,
  type InputOfShape,
  type JsonOf,
} from '../../nodes/core/catalogue/define';
import { executeCommand } from '../../nodes/core/catalogue/operations/execute-command';
import { listSessions } from '../../nodes/core/catalogue/operations/list-sessions';
import { createSession } from '../../nodes/core/catalogue/operations/create-session';

/** `true` only when A and B are the same type. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Equals<A, B>): Equals<A, B> => proof;

// The input type mirrors prepareInput: required parameters and non-empty defaults are always set;
// an empty default ('') or a showWhen gate makes a parameter optional.
export const executeCommandInput = same<
  InputOf<typeof executeCommand.parameters>,
  {
    command: string;
    failOnNonZeroExit: boolean;
    timeoutMs: number;
    environment: Record<string, unknown>;
    workingDirectory?: string;
  }
>(true);

export const listSessionsInput = same<
  InputOf<typeof listSessions.parameters>,
  {
    labels: Record<string, string>;
    status?: '' | 'RUNNING' | 'PAUSING' | 'PAUSED' | 'RESUMING' | 'DELETING' | 'DELETED';
    returnAll: boolean;
    limit: number;
    page?: number;
  }
>(true);

// Outputs marked optional may be left out; all others are required, typed by their `type`.
export const createSessionJson = same<
  JsonOf<typeof createSession.outputs>,
  {
    sessionId: string;
    resourceUrl: string;
    imageId: string;
    labels: unknown;
    tools: string[];
    createdAt: string;
    appInstanceId: string;
    resourceId: string;
    clientToken: string;
    recovered: boolean;
    requestId: string;
    contextSync?: unknown;
  }
>(true);

const text = { displayName: 'Text', description: 'A text.', kind: 'string', default: '', required: true, expected: 'text' } as const;

export const correct = defineOperation({
  id: 'typeTestCorrect',
  displayName: 'Type Test',
  summary: 'A correct operation, which must compile.',
  details: '',
  session: 'required',
  parameters: [{ ...text, name: 'command' }],
  outputs: [
    { name: 'echo', type: 'string', description: 'The command.' },
    { name: 'note', type: 'string', description: 'Sometimes.', optional: true },
  ],
  async execute(context, input) {
    return { json: { echo: `${context.session.sessionId}: ${input.command}` } };
  },
});

export const renamedParameter = defineOperation({
  id: 'typeTestRenamed',
  displayName: 'Type Test',
  summary: 'Reads a parameter under a name it no longer has.',
  details: '',
  session: 'none',
  parameters: [{ ...text, name: 'commandLine' }],
  outputs: [{ name: 'echo', type: 'string', description: 'The command.' }],
  async execute(_context, input) {
    // @ts-expect-error `command` was renamed to `commandLine`
    const command: string = input.command;
    return { json: { echo: command } };
  },
});

export const undocumentedOutput = defineOperation({
  id: 'typeTestUndocumented',
  displayName: 'Type Test',
  summary: 'Returns a field its outputs table does not list.',
  details: '',
  session: 'none',
  parameters: [],
  outputs: [{ name: 'echo', type: 'string', description: 'The text.' }],
  // @ts-expect-error `extra` is not in outputs[]
  async execute() {
    return { json: { echo: 'x', extra: 1 } };
  },
});

export const missingOutput = defineOperation({
  id: 'typeTestMissing',
  displayName: 'Type Test',
  summary: 'Leaves out a required output.',
  details: '',
  session: 'none',
  parameters: [],
  outputs: [
    { name: 'echo', type: 'string', description: 'The text.' },
    { name: 'count', type: 'number', description: 'How many.' },
  ],
  // @ts-expect-error `count` is not marked optional, so it must be set
  async execute() {
    return { json: { echo: 'x' } };
  },
});

export const wrongOutputType = defineOperation({
  id: 'typeTestWrongType',
  displayName: 'Type Test',
  summary: 'Sets an output to a value of another type than documented.',
  details: '',
  session: 'none',
  parameters: [],
  outputs: [{ name: 'count', type: 'number', description: 'How many.' }],
  // @ts-expect-error `count` is documented as a number
  async execute() {
    return { json: { count: 'three' } };
  },
});

export const sessionInSessionless = defineOperation({
  id: 'typeTestSession',
  displayName: 'Type Test',
  summary: 'Reads a session although it declares none.',
  details: '',
  session: 'none',
  parameters: [],
  outputs: [{ name: 'echo', type: 'string', description: 'The session id.' }],
  async execute(context) {
    // @ts-expect-error a session-less operation has no session on its context
    return { json: { echo: String(context.session.sessionId) } };
  },
});

export const optionalParameterUsedAsSet = defineOperation({
  id: 'typeTestOptional',
  displayName: 'Type Test',
  summary: 'Uses a parameter with an empty default as if it were always set.',
  details: '',
  session: 'none',
  parameters: [{ ...text, name: 'folder', required: false }],
  outputs: [{ name: 'length', type: 'number', description: 'Its length.' }],
  async execute(_context, input) {
    // @ts-expect-error an empty default leaves the parameter unset: it may be undefined
    return { json: { length: input.folder.length } };
  },
});

// The two-step form (an `execute` written as its own function) is held to the same contracts.
const shape = describeOperation({
  id: 'typeTestTwoStep',
  displayName: 'Type Test',
  summary: 'Describes first, implements after.',
  details: '',
  session: 'required',
  parameters: [{ ...text, name: 'path' }],
  outputs: [{ name: 'path', type: 'string', description: 'The path.' }],
});

async function twoStepExecute(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>) {
  // @ts-expect-error `file` is not a parameter of this shape
  const file: string = input.file;
  return { json: { path: `${context.session.sessionId}:${input.path}:${file}` } };
}

async function twoStepUndocumented(_context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>) {
  return { json: { path: input.path, size: 1 } };
}

export const twoStep = implementOperation(shape, twoStepExecute);
// @ts-expect-error `size` is not in the shape's outputs[]
export const twoStepDrifted = implementOperation(shape, twoStepUndocumented);

export const contextInContextless = defineOperation({
  id: 'typeTestContextless',
  displayName: 'Type Test',
  summary: 'Has no Context field.',
  details: '',
  session: 'none',
  parameters: [],
  outputs: [{ name: 'id', type: 'string', description: 'The context.' }],
  async execute(context) {
    // @ts-expect-error a context-less operation has no `contextRef`
    return { json: { id: context.contextRef.contextId } };
  },
});

export const optionalContextUsedAsSet = defineOperation({
  id: 'typeTestOptionalContext',
  displayName: 'Type Test',
  summary: 'Context may be absent.',
  details: '',
  session: 'none',
  context: 'optional',
  parameters: [],
  outputs: [{ name: 'id', type: 'string', description: 'The context.' }],
  async execute(context) {
    // @ts-expect-error an `optional` context may be undefined
    return { json: { id: context.contextRef.contextId } };
  },
});

export const requiredContext = defineOperation({
  id: 'typeTestRequiredContext',
  displayName: 'Type Test',
  summary: 'Context always set.',
  details: '',
  session: 'none',
  context: 'required',
  parameters: [],
  outputs: [{ name: 'id', type: 'string', description: 'The context.' }],
  async execute(context) {
    return { json: { id: context.contextRef.contextId }, context: { ...context.contextRef, name: 'renamed' } };
  },
});
