import { randomUUID } from 'node:crypto';
import type { RpcEnvelope } from '../../client/client';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { deleteOnStopParameter, labelsParameter, requestIdOutput } from '../common-parameters';
import { CREATE_CONTEXT_WAIT, waitForContextSync, type ContextTask } from '../context-sync';
import { checkContextSyncList, guidedContextSync, guidedSyncParameters, MAX_CONTEXT_SYNCS, type ContextSyncItem } from '../context-syncs';
import { describeOperation, implementOperation, type ContextOfShape, type InputOfShape } from '../define';
import { asRecord, parseToolNames, str } from '../session-api';
import {
  CLIENT_TOKEN_LABEL,
  CREATED_AT_LABEL,
  createMayHaveRun,
  DEFAULT_LOOKUP_WINDOW_S,
  findLostSession,
  type CreatedSession,
} from '../lost-create';
import type { SessionRef } from '../session';
import { deleteSessionWithRetry } from '../session-delete';
import type { OperationContext } from '../types';
import { rememberToolList } from '../tool-servers';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import { runtimeText } from '../runtime-texts';

function persistenceDataList(syncs: readonly ContextSyncItem[]): string | undefined {
  if (syncs.length === 0) return undefined;
  return JSON.stringify(
    syncs.map((sync) => {
      const item: Record<string, string> = { ContextId: sync.contextId, Path: sync.path };
      // Policy is a JSON string nested inside the JSON string, as the SDK sends it.
      if (sync.policy) item.Policy = JSON.stringify(sync.policy);
      return item;
    }),
  );
}

/** The JSON list's items then the guided one; all checked before the create is sent. */
function contextSyncsOf(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>): ContextSyncItem[] {
  const syncs = checkContextSyncList(input.contextSyncs, 'Context Syncs (contextSyncs)');
  const guided = guidedContextSync(input, context.carriedContext?.contextId);
  if (guided) syncs.push(guided);
  if (syncs.length > MAX_CONTEXT_SYNCS) {
    throw new InputValidationError('contextSyncs', `at most ${MAX_CONTEXT_SYNCS} context syncs`, `Context Syncs (contextSyncs) and Sync Context together give more than ${MAX_CONTEXT_SYNCS} contexts`);
  }
  return syncs;
}

/** The create's answer as the SDK checks it (docs/protocol.md §4.1 step 4); a malformed answer may hide a session. */
function readCreateAnswer(envelope: RpcEnvelope): CreatedSession {
  const requestId = str(envelope.RequestId);
  if (typeof envelope.Data !== 'object' || envelope.Data === null || Array.isArray(envelope.Data)) {
    throw new AgentBayError("Invalid response format: 'data' field is not a dictionary", { code: 'InvalidResponse', requestId });
  }
  const data = asRecord(envelope.Data);
  if (data.Success === false) {
    throw new AgentBayError(str(data.ErrMsg) || 'Session creation failed', { code: 'SessionCreationFailed', requestId });
  }
  if (!str(data.SessionId)) throw new AgentBayError('SessionId not found in response', { code: 'InvalidResponse', requestId });
  return { requestId, data, recovered: false };
}

async function execute(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>) {
  const syncs = contextSyncsOf(context, input);
  const imageId = str(input.imageId) || undefined;
  const createdAt = context.clock.now().toISOString();
  const clientToken = randomUUID();
  // The package's labels win over user labels of the same keys: the token must be unique per create.
  const labels = input.labels;
  const sentLabels: Record<string, string> = { ...labels, [CREATED_AT_LABEL]: createdAt, [CLIENT_TOKEN_LABEL]: clientToken };
  let created: CreatedSession;
  try {
    const envelope = await context.client.call(
      'CreateMcpSession',
      {
        EnableRecord: input.browserReplay === false ? false : undefined,
        ExtraConfigs: input.extraConfigs && Object.keys(asRecord(input.extraConfigs)).length > 0 ? JSON.stringify(input.extraConfigs) : undefined,
        ImageId: imageId,
        Labels: JSON.stringify(sentLabels),
        McpPolicyId: str(input.policyId) || undefined,
        PersistenceDataList: persistenceDataList(syncs),
        // The SDK's field names with this package's own values, so usage statistics can tell it apart
        // from the SDK (docs/protocol.md §3.1).
        SdkStats: JSON.stringify({
          source: PACKAGE_NAME,
          sdk_language: 'typescript',
          sdk_version: PACKAGE_VERSION,
          is_release: true,
          framework: context.client.framework,
        }),
      },
      // Not aborted midway: a create cut off in flight may still make a session nobody would delete.
      // Cancellation is honoured right after the answer instead (releaseIfCancelled).
      {},
    );
    created = readCreateAnswer(envelope);
  } catch (error) {
    // Never repeat a create that may have run: look for its session by the token instead.
    if (!createMayHaveRun(error)) throw error;
    created = await findLostSession(context, clientToken, error, input.lostAnswerLookup);
  }
  const { data, requestId } = created;
  const sessionId = str(data.SessionId);
  rememberToolList(context.client, sessionId, data.ToolList);

  const session = {
    sessionId,
    resourceUrl: str(data.ResourceUrl),
    imageId: imageId ?? 'linux_latest',
    labels,
    createdAt,
    appInstanceId: str(data.AppInstanceId),
    resourceId: str(data.ResourceId),
  } satisfies SessionRef;
  const json = {
    ...session,
    tools: parseToolNames(data.ToolList),
    clientToken,
    recovered: created.recovered,
    requestId,
  };
  await releaseIfCancelled(context, sessionId);
  if (syncs.length === 0) return { json, session };
  context.progress(runtimeText('waitingForContextSync'));
  try {
    // The SDK's back-off, bounded by the node's wait instead of its 50 tries.
    const wait = { ...CREATE_CONTEXT_WAIT, tries: Infinity, timeoutMs: input.contextSyncWait * 1000, label: runtimeText('contextSync') };
    const tasks = await waitForContextSync(context, sessionId, wait);
    return { json: { ...json, contextSync: tasks }, session, notice: syncNotice(tasks, input.contextSyncWait) };
  } catch (error) {
    await releaseIfCancelled(context, sessionId);
    throw error;
  }
}

/** As the SDK, an unfinished or failed download does not fail the create; the node says so instead. */
function syncNotice(tasks: readonly ContextTask[], waitSeconds: number): string | undefined {
  const failed = tasks.filter((task) => task.status === 'Failed');
  if (failed.length > 0) {
    const first = failed[0];
    return `context sync failed for ${failed.length} of ${tasks.length} (${first.contextId} at ${first.path}: ${first.errorMessage || 'no reason given'})`;
  }
  const pending = tasks.filter((task) => task.status !== 'Success');
  if (pending.length > 0) return `context download not finished after ${waitSeconds} s (${pending.length} of ${tasks.length} pending)`;
  return undefined;
}

/**
 * When the flow was stopped (Node-RED redeploy, n8n execution cancelled) while the session was
 * being made, nobody downstream will ever delete it: delete it here, then report the cancellation.
 */
async function releaseIfCancelled(context: OperationContext, sessionId: string): Promise<void> {
  if (!context.signal?.aborted) return;
  context.progress(runtimeText('cancelledDeletingNewSession'));
  await deleteSessionWithRetry(context.client, sessionId).catch(() => undefined);
  throw new AgentBayError(`Cancelled while creating a session; session ${sessionId} was deleted again`, {
    code: 'Aborted',
  });
}

const shape = describeOperation({
  id: 'createSession',
  displayName: 'Create Session',
  summary: 'Creates an AgentBay sandbox session and puts it on the message for the nodes that follow.',
  details: [
    'Starts a new cloud sandbox from an image. The session object travels on the message, so the next nodes (Execute Command, Run Code, Write File, ...) use it without any ID wired by hand.',
    'Every session costs money until it is deleted: end each flow with a **Delete Session** node, also on the error path.',
    'A context is storage that outlives sessions. **Sync Context** mounts one at **Path**: the context a Get Context or Create Context node put on the message, or one by ID; its **Sync Policy** fields are the SDK\'s sync policy (upload, download, deletions, white and black lists, extraction, recycling, mapping). **Context Syncs** takes more contexts as a JSON list with policies in the SDK\'s JSON form. Paths must be inside /home/wuying or /tmp.',
    'When contexts are mounted, the node waits until they are downloaded into the session, up to **Context Sync Wait**, showing how many are done; the result\'s `contextSync` lists each task\'s status. End the flow with **Delete Session** with *Sync Context* on to upload the changes.',
    `Every session gets two labels from the node: \`${CLIENT_TOKEN_LABEL}\` (a fresh UUID per create) and \`${CREATED_AT_LABEL}\` (the creation time, ISO 8601 UTC, which **Delete Idle Sessions** reads for its age filter). They replace user labels of the same keys.`,
    `If the create's answer is lost (timeout, dropped connection, 5xx, a body that is not JSON), the session may still have been made. The node never repeats the create; it looks the session up by its \`${CLIENT_TOKEN_LABEL}\` label for up to **Lost Answer Lookup** seconds and returns it as if the create had answered (\`recovered: true\`), or fails saying that no session was made, or, when it could not look, naming the token so a sweep can find the session. A throttled create is retried: the service did not run it.`,
  ].join('\n\n'),
  session: 'none',
  parameters: [
    {
      name: 'imageId',
      displayName: 'Image ID',
      description: 'The image the session starts from, e.g. linux_latest, code_latest, browser_latest.',
      kind: 'string',
      default: 'linux_latest',
      placeholder: 'linux_latest',
      picker: 'image',
      schema: { type: 'string', maxLength: 256 },
      expected: 'an image id such as linux_latest',
    },
    labelsParameter(`Labels to attach to the session, useful to find it again with List Sessions. The keys ${CLIENT_TOKEN_LABEL} and ${CREATED_AT_LABEL} are set by the node.`),
    ...guidedSyncParameters,
    {
      name: 'contextSyncs',
      displayName: 'Context Syncs',
      description: 'Persistent contexts to mount, besides Sync Context: a JSON array of {"contextId", "path", "policy"?}, where policy is the SDK\'s SyncPolicy object ({"uploadPolicy": {"autoUpload": true}, "bwList": {"whiteLists": [{"path": "src", "excludePaths": ["tmp"]}]}, ...}).',
      kind: 'json',
      default: [],
      advanced: true,
      schema: {
        type: 'array',
        items: {
          type: 'object',
          required: ['contextId', 'path'],
          properties: {
            contextId: { type: 'string', minLength: 1, maxLength: 256 },
            path: { type: 'string', minLength: 1, maxLength: 1024 },
            policy: { type: ['object', 'string'] },
          },
        },
      },
      expected: 'a JSON array like [{"contextId":"SdkCtx-...","path":"/home/wuying/data"}]',
    },
    {
      name: 'contextSyncWait',
      displayName: 'Context Sync Wait (Seconds)',
      description: 'How long to wait for mounted contexts to finish downloading before the node goes on (the SDK waits about 3 minutes).',
      kind: 'number',
      default: 180,
      advanced: true,
      schema: { type: 'integer', minimum: 1, maximum: 3600 },
      expected: 'a whole number of seconds from 1 to 3600',
    },
    {
      name: 'policyId',
      displayName: 'Policy ID',
      description: 'ID of an MCP policy to apply to the session.',
      kind: 'string',
      default: '',
      advanced: true,
      schema: { type: 'string' },
      expected: 'a policy id string',
    },
    {
      name: 'browserReplay',
      displayName: 'Browser Replay',
      description: 'Whether to record browser sessions for replay.',
      kind: 'boolean',
      default: true,
      advanced: true,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    {
      name: 'lostAnswerLookup',
      displayName: 'Lost Answer Lookup (Seconds)',
      description: 'When the create\'s answer is lost, how long to look for the session by its client token before reporting that none was made.',
      kind: 'number',
      default: DEFAULT_LOOKUP_WINDOW_S,
      advanced: true,
      schema: { type: 'number', minimum: 0, maximum: 300 },
      expected: 'a number of seconds from 0 to 300',
    },
    {
      name: 'extraConfigs',
      displayName: 'Extra Configs',
      description: 'Advanced session configuration as a JSON object (for example {"mobile": {...}}).',
      kind: 'json',
      default: {},
      advanced: true,
      schema: { type: 'object' },
      expected: 'a JSON object',
    },
    deleteOnStopParameter,
  ],
  outputs: [
    { name: 'sessionId', type: 'string', description: 'ID of the new session.' },
    { name: 'createdAt', type: 'string', description: `Creation time (ISO 8601 UTC), also the ${CREATED_AT_LABEL} label.` },
    { name: 'resourceUrl', type: 'string', description: 'URL of the session resource.' },
    { name: 'imageId', type: 'string', description: 'Image the session was created from.' },
    { name: 'labels', type: 'object', description: `Labels given at creation (the session also carries ${CLIENT_TOKEN_LABEL} and ${CREATED_AT_LABEL}).` },
    { name: 'clientToken', type: 'string', description: `The session's ${CLIENT_TOKEN_LABEL} label.` },
    { name: 'tools', type: 'string[]', description: 'Names of the MCP tools the session offers.' },
    { name: 'appInstanceId', type: 'string', description: 'App instance ID the service gave the session.' },
    { name: 'resourceId', type: 'string', description: 'Resource ID the service gave the session.' },
    { name: 'contextSync', type: 'object[]', description: 'Context sync results, when context syncs were given.', optional: true },
    { name: 'recovered', type: 'boolean', description: 'True when the create\'s answer was lost and the session was found by its client token.' },
    requestIdOutput,
  ],
});

export const createSession = implementOperation(shape, execute);
