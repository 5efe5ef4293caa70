/**
 * ListSession (docs/protocol.md §3.1): label and status filters, cursor pagination with envelope-level
 * NextToken / MaxResults / TotalCount. NextToken is opaque to clients; inside it is the creation
 * sequence number of the last session returned, so sessions deleted between pages do not shift
 * the next page. `Status=DELETED` lists the deleted sessions still retained (session-store.ts); without
 * a Status filter the list holds live sessions only (DELETING included), so a deleted session drops
 * out of the default list at once.
 */
import { invalidParameter } from '../protocol/errors';
import { compileParams, labelsExpect, labelsJsonSchema } from '../protocol/validate';
import type { SessionView } from '../session-store';
import { defineAction } from './types';

const STATUSES = ['RUNNING', 'PAUSING', 'PAUSED', 'RESUMING', 'DELETING', 'DELETED'];

interface ListParams {
  Labels?: Record<string, string>;
  MaxResults?: number;
  NextToken?: string;
  Status?: string;
}

const validate = compileParams<ListParams>({
  Labels: { schema: { type: 'string' }, expect: labelsExpect, json: labelsJsonSchema },
  MaxResults: { schema: { type: 'integer', minimum: 1, maximum: 100 }, expect: 'an integer from 1 to 100' },
  NextToken: { schema: { type: 'string', maxLength: 256 }, expect: 'the NextToken of the previous page' },
  Status: { schema: { type: 'string', enum: STATUSES }, expect: `one of ${STATUSES.join(', ')}` },
});

const TOKEN_PREFIX = 'ls1:';

function encodeToken(seq: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${seq}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): number {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const digits = text.slice(TOKEN_PREFIX.length);
  const seq = Number(digits);
  if (!text.startsWith(TOKEN_PREFIX) || !/^(0|[1-9][0-9]{0,15})$/.test(digits) || !Number.isSafeInteger(seq)) {
    throw invalidParameter('Invalid parameter NextToken: expected the NextToken of the previous page.');
  }
  return seq;
}

function hasLabels(session: SessionView, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => session.labels[key] === value);
}

export const listSession = defineAction('ListSession', validate, (ctx, p) => {
  const maxResults = p.MaxResults ?? 10;
  const after = p.NextToken === undefined ? 0 : decodeToken(p.NextToken);
  const labels = p.Labels ?? {};
  const candidates: SessionView[] = p.Status === 'DELETED' ? ctx.store.listDeleted() : ctx.store.list();
  const matching = candidates.filter((s) => hasLabels(s, labels) && (p.Status === undefined || s.status === p.Status));
  const rest = matching.filter((s) => s.seq > after);
  const page = rest.slice(0, maxResults);
  const last = page[page.length - 1];
  const nextToken = rest.length > page.length && last ? encodeToken(last.seq) : '';
  return {
    data: page.map((s) => ({
      SessionId: s.id,
      SessionStatus: s.status,
      AppInstanceId: s.appInstanceId,
      ImageId: s.imageId,
    })),
    envelope: { NextToken: nextToken, MaxResults: maxResults, TotalCount: matching.length },
  };
});
