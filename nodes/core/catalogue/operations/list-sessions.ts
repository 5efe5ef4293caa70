import { describeOperation, implementOperation, type ContextOfShape, type InputOfShape } from '../define';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { labelsParameter, lastRequestIdOutput } from '../common-parameters';
import { asRecord, str } from '../session-api';
import type { OperationContext } from '../types';
import { runtimeText } from '../runtime-texts';

export const SESSION_STATUSES = ['RUNNING', 'PAUSING', 'PAUSED', 'RESUMING', 'DELETING', 'DELETED'] as const;

interface Page {
  requestId: string;
  sessions: Array<{ sessionId: string; sessionStatus: string }>;
  nextToken: string;
  maxResults: number;
  totalCount: number;
}

async function fetchPage(
  context: OperationContext,
  labels: string,
  limit: number,
  status: string | undefined,
  nextToken: string | undefined,
): Promise<Page> {
  const envelope = await context.client.call(
    'ListSession',
    { Labels: labels, MaxResults: limit, NextToken: nextToken, Status: status },
    { signal: context.signal },
  );
  if (envelope.Success !== true) {
    throw new AgentBayError(`[${str(envelope.Code) || 'Unknown'}] ${str(envelope.Message) || 'Unknown error'}`, {
      code: str(envelope.Code) || 'Unknown',
      requestId: str(envelope.RequestId),
    });
  }
  const items = Array.isArray(envelope.Data) ? envelope.Data : [];
  return {
    requestId: str(envelope.RequestId),
    sessions: items
      .map((item) => asRecord(item))
      .filter((item) => str(item.SessionId) !== '')
      .map((item) => ({ sessionId: str(item.SessionId), sessionStatus: str(item.SessionStatus) || 'UNKNOWN' })),
    nextToken: str(envelope.NextToken),
    maxResults: Number(envelope.MaxResults) || limit,
    totalCount: Number(envelope.TotalCount) || 0,
  };
}

async function execute(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>) {
  const status = str(input.status) || undefined;
  if (status && !(SESSION_STATUSES as readonly string[]).includes(status)) {
    throw new InputValidationError('status', SESSION_STATUSES.join(', '),
      `Status (status): Invalid status '${status}'. Must be one of: ${SESSION_STATUSES.join(', ')}`);
  }
  const labels = JSON.stringify(input.labels ?? {});
  const limit = input.limit;
  const returnAll = input.returnAll === true;
  const page = returnAll ? 1 : input.page ?? 1;
  if (page < 1) {
    throw new InputValidationError('page', 'a page number >= 1', `Page (page): Cannot reach page ${page}: Page number must be >= 1`);
  }

  // The API pages by token only; page N is reached by walking N-1 pages first, as the SDK does.
  let token: string | undefined;
  for (let current = 1; current < page; current++) {
    context.progress(runtimeText('skippingToPage', { page, current, last: page - 1 }));
    const skipped = await fetchPage(context, labels, limit, status, token);
    if (!skipped.nextToken) {
      throw new AgentBayError(`Cannot reach page ${page}: No more pages available`, {
        code: 'PageNotFound',
        requestId: skipped.requestId,
      });
    }
    token = skipped.nextToken;
  }

  let result = await fetchPage(context, labels, limit, status, token);
  const sessions = [...result.sessions];
  while (returnAll && result.nextToken) {
    context.progress(runtimeText('listingSessions', { found: sessions.length }));
    result = await fetchPage(context, labels, limit, status, result.nextToken);
    sessions.push(...result.sessions);
  }
  return {
    json: {
      sessionIds: sessions,
      count: sessions.length,
      totalCount: result.totalCount,
      nextToken: returnAll ? '' : result.nextToken,
      maxResults: result.maxResults,
      page: returnAll ? undefined : page,
      requestId: result.requestId,
    },
  };
}

const shape = describeOperation({
  id: 'listSessions',
  displayName: 'List Sessions',
  summary: 'Lists sessions, optionally filtered by labels and status, one page or all of them.',
  details: [
    'Returns the IDs and statuses of sessions. Label filters match sessions that carry all the given labels.',
    'Pages are numbered from 1. The API pages by token, so reaching page N makes N-1 extra calls first, as the official SDK does. **Return All** walks every page instead.',
    'A scheduled flow can use this to find and delete sessions that an earlier run leaked.',
  ].join('\n\n'),
  session: 'none',
  parameters: [
    labelsParameter('Only list sessions carrying all of these labels.'),
    {
      name: 'status',
      displayName: 'Status',
      description: 'Only list sessions in this state.',
      kind: 'options',
      default: '',
      options: [{ name: 'Any', value: '' }, ...SESSION_STATUSES.map((value) => ({ name: value, value }))],
      schema: { type: 'string' },
      expected: `one of ${SESSION_STATUSES.join(', ')}, or empty for any`,
    },
    {
      name: 'returnAll',
      displayName: 'Return All',
      description: 'Whether to return every page instead of one page.',
      kind: 'boolean',
      default: false,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    {
      name: 'page',
      displayName: 'Page',
      description: 'Which page to return, starting at 1.',
      kind: 'number',
      default: 1,
      showWhen: { returnAll: [false] },
      schema: { type: 'integer' },
      expected: 'a whole number from 1',
    },
    {
      name: 'limit',
      displayName: 'Limit',
      description: 'Sessions per page (MaxResults).',
      kind: 'number',
      default: 10,
      schema: { type: 'integer', minimum: 1, maximum: 100 },
      expected: 'a whole number from 1 to 100',
    },
  ],
  outputs: [
    { name: 'sessionIds', type: 'object[]', description: 'One {sessionId, sessionStatus} per session.' },
    { name: 'count', type: 'number', description: 'Number of sessions returned.' },
    { name: 'totalCount', type: 'number', description: 'Total number of matching sessions.' },
    { name: 'nextToken', type: 'string', description: 'Token of the next page; empty on the last page.' },
    { name: 'maxResults', type: 'number', description: 'Page size used.' },
    { name: 'page', type: 'number', description: 'The page number returned; absent with Return All.', optional: true },
    lastRequestIdOutput,
  ],
});

export const listSessions = implementOperation(shape, execute);
