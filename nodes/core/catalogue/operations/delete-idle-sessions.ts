import { AgentBayError, InputValidationError } from '../../client/errors';
import { labelsParameter } from '../common-parameters';
import { CLIENT_TOKEN_LABEL, CREATED_AT_LABEL } from '../lost-create';
import { deleteSessionWithRetry } from '../session-delete';
import { asRecord, str } from '../session-api';
import type { OperationContext, OperationDefinition, OperationInput, OperationOutput } from '../types';
import { runtimeText } from '../runtime-texts';

/** Sessions looked at per run at most (ListSession pages of 100), whatever the filters. */
const MAX_INSPECTED = 500;
const PAGE_SIZE = 100;

interface Listed {
  sessionId: string;
  status: string;
}

interface Skipped {
  sessionId: string;
  reason: string;
}

/** Matching sessions in the service's order, at most `MAX_INSPECTED`; `more` when some were left unlisted. */
async function listMatching(context: OperationContext, labels: Record<string, string>): Promise<{ sessions: Listed[]; more: boolean }> {
  const sessions: Listed[] = [];
  let token: string | undefined;
  for (;;) {
    const envelope = await context.client.call(
      'ListSession',
      { Labels: JSON.stringify(labels), MaxResults: PAGE_SIZE, NextToken: token },
      { signal: context.signal },
    );
    const items = Array.isArray(envelope.Data) ? envelope.Data : [];
    for (const item of items) {
      const record = asRecord(item);
      const sessionId = str(record.SessionId);
      if (sessionId !== '') sessions.push({ sessionId, status: str(record.SessionStatus) });
    }
    token = str(envelope.NextToken) || undefined;
    if (!token || sessions.length >= MAX_INSPECTED) return { sessions: sessions.slice(0, MAX_INSPECTED), more: !!token || sessions.length > MAX_INSPECTED };
    context.progress(runtimeText('listingSessions', { found: sessions.length }));
  }
}

/** The creation time the package stamped on the session, or why it cannot be used. */
async function creationTime(context: OperationContext, sessionId: string): Promise<{ createdAt: Date } | { reason: string }> {
  const envelope = await context.client.call('GetLabel', { SessionId: sessionId }, { signal: context.signal });
  let labels: Record<string, unknown> = {};
  try {
    labels = asRecord(JSON.parse(str(asRecord(envelope.Data).Labels) || '{}'));
  } catch {
    return { reason: 'its labels are not readable' };
  }
  const stamp = str(labels[CREATED_AT_LABEL]);
  if (stamp === '') return { reason: `no ${CREATED_AT_LABEL} label (not created by these nodes), so its age is unknown` };
  const createdAt = new Date(stamp);
  if (Number.isNaN(createdAt.getTime())) return { reason: `${CREATED_AT_LABEL} is not a date: ${stamp.slice(0, 40)}` };
  return { createdAt };
}

async function execute(context: OperationContext, input: OperationInput): Promise<OperationOutput> {
  const labels = (input.labels ?? {}) as Record<string, string>;
  const olderThanMinutes = Number(input.olderThanMinutes);
  const maxDeletions = Number(input.maxDeletions);
  const dryRun = input.dryRun === true;
  if (Object.keys(labels).length === 0 && olderThanMinutes <= 0) {
    throw new InputValidationError(
      'labels',
      'at least one label, or Older Than above 0',
      'Labels (labels): set at least one label or an Older Than (olderThanMinutes) above 0; with neither, every session would match',
    );
  }

  const { sessions, more: unlisted } = await listMatching(context, labels);
  const now = context.clock.now().getTime();
  const deleted: Array<{ sessionId: string; createdAt?: string }> = [];
  const skipped: Skipped[] = [];
  const failed: Array<{ sessionId: string; error: string }> = [];
  let more = unlisted;
  let inspected = 0;

  for (const session of sessions) {
    if (deleted.length >= maxDeletions) {
      more = true;
      break;
    }
    inspected++;
    const { sessionId } = session;
    if (session.status === 'DELETING' || session.status === 'DELETED') {
      skipped.push({ sessionId, reason: 'already being deleted' });
      continue;
    }
    let createdAt: string | undefined;
    try {
      if (olderThanMinutes > 0) {
        const created = await creationTime(context, sessionId);
        if ('reason' in created) {
          skipped.push({ sessionId, reason: created.reason });
          continue;
        }
        createdAt = created.createdAt.toISOString();
        const ageMinutes = (now - created.createdAt.getTime()) / 60_000;
        if (ageMinutes < olderThanMinutes) {
          skipped.push({ sessionId, reason: `younger than ${olderThanMinutes} min (${Math.floor(ageMinutes)} min old)` });
          continue;
        }
      }
      if (!dryRun) {
        context.progress(runtimeText('deletingSessionOf', { sessionId, done: deleted.length + 1, total: maxDeletions }));
        await deleteSessionWithRetry(context.client, sessionId, context.signal);
      }
      deleted.push(createdAt ? { sessionId, createdAt } : { sessionId });
    } catch (error) {
      if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
      if (error instanceof AgentBayError && error.isNotFound) {
        skipped.push({ sessionId, reason: 'gone before it could be deleted' });
        continue;
      }
      failed.push({ sessionId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  const verb = dryRun ? 'would delete' : 'deleted';
  return {
    json: {
      dryRun,
      [dryRun ? 'wouldDelete' : 'deleted']: deleted,
      count: deleted.length,
      skipped,
      failed,
      inspected,
      more,
    },
    notice: `${verb} ${deleted.length}, skipped ${skipped.length}${failed.length > 0 ? `, failed ${failed.length}` : ''}`,
  };
}

export const deleteIdleSessions: OperationDefinition = {
  id: 'deleteIdleSessions',
  displayName: 'Delete Idle Sessions',
  summary: 'Deletes sessions that match labels and are older than a given age: a scheduled clean-up for sessions a flow leaked.',
  details: [
    'Lists the sessions carrying all the given labels, and deletes those older than **Older Than**, oldest first as the service lists them, at most **Max Deletions** per run (**more** tells when some were left for the next run). Put it behind a schedule (Inject node, Schedule Trigger).',
    `The AgentBay API reports no creation or last-activity time, so the age is read from the \`${CREATED_AT_LABEL}\` label that **Create Session** puts on every session it makes; sessions without it are skipped (and say so) when an age is set. With Older Than 0 the age is not checked, and labels alone choose the sessions.`,
    `A session whose create lost its answer can be found by its \`${CLIENT_TOKEN_LABEL}\` label, which the error of Create Session names.`,
    '**Dry Run** lists what would be deleted (`wouldDelete`) without deleting. Deletes use the same retries as Delete Session; the node does not wait for each deletion to finish.',
    'Either a label or an age above 0 is required, so that a blank node cannot delete every session of the account.',
  ].join('\n\n'),
  session: 'none',
  parameters: [
    labelsParameter('Only sessions carrying all of these labels, e.g. {"flow":"nightly-report"}.'),
    {
      name: 'olderThanMinutes',
      displayName: 'Older Than (Minutes)',
      description: `Only sessions created at least this many minutes ago (from their ${CREATED_AT_LABEL} label). 0: any age.`,
      kind: 'number',
      default: 60,
      schema: { type: 'number', minimum: 0, maximum: 525600 },
      expected: 'a number of minutes from 0 to 525600',
    },
    {
      name: 'dryRun',
      displayName: 'Dry Run',
      description: 'Whether to only report what would be deleted.',
      kind: 'boolean',
      default: false,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    {
      name: 'maxDeletions',
      displayName: 'Max Deletions',
      description: 'The most sessions one run deletes; the rest wait for the next run.',
      kind: 'number',
      default: 20,
      advanced: true,
      schema: { type: 'integer', minimum: 1, maximum: 100 },
      expected: 'a whole number from 1 to 100',
    },
  ],
  outputs: [
    { name: 'dryRun', type: 'boolean', description: 'Whether this was a dry run.' },
    { name: 'deleted', type: 'object[]', description: 'One {sessionId, createdAt?} per deleted session (not in a dry run).', optional: true },
    { name: 'wouldDelete', type: 'object[]', description: 'Dry run only: the sessions that would have been deleted.', optional: true },
    { name: 'count', type: 'number', description: 'How many were deleted (or would be).' },
    { name: 'skipped', type: 'object[]', description: 'One {sessionId, reason} per matching session left alone.' },
    { name: 'failed', type: 'object[]', description: 'One {sessionId, error} per session whose deletion failed.' },
    { name: 'inspected', type: 'number', description: 'How many matching sessions were looked at.' },
    { name: 'more', type: 'boolean', description: 'True when matching sessions were left for the next run (Max Deletions, or over 500 listed).' },
  ],
  execute,
};
