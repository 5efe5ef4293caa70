import { contextFromData, type ContextRef } from '../context';
import { lastRequestIdOutput } from '../common-parameters';
import { defineOperation } from '../define';
import { str } from '../session-api';
import type { OperationContext } from '../types';
import { runtimeText } from '../runtime-texts';

/** Return All stops after this many contexts (100 pages of 100 at most), with `truncated` set. */
export const MAX_LISTED_CONTEXTS = 10000;

interface Page {
  requestId: string;
  contexts: ContextRef[];
  nextToken: string;
  maxResults: number;
  totalCount: number;
}

async function fetchPage(context: OperationContext, maxResults: number, nextToken: string | undefined): Promise<Page> {
  const envelope = await context.client.call('ListContexts', { MaxResults: maxResults, NextToken: nextToken }, { signal: context.signal });
  const items = Array.isArray(envelope.Data) ? envelope.Data.slice(0, 1000) : [];
  return {
    requestId: str(envelope.RequestId),
    contexts: items.map(contextFromData).filter((item) => item.contextId !== ''),
    nextToken: str(envelope.NextToken),
    maxResults: Number(envelope.MaxResults) || maxResults,
    totalCount: Number(envelope.TotalCount) || 0,
  };
}

export const listContexts = defineOperation({
  id: 'listContexts',
  displayName: 'List Contexts',
  summary: 'Lists the persistent contexts, one page or all of them.',
  details: [
    'Sends ListContexts (the SDK\'s `context.list`), newest first. One page holds up to **Limit** contexts; pass the result\'s `nextToken` as **Page Cursor** to get the next page.',
    `**Return All** follows the tokens until the last page, stopping after ${MAX_LISTED_CONTEXTS} contexts (then \`truncated\` is true and \`nextToken\` continues from there).`,
  ].join('\n\n'),
  session: 'none',
  parameters: [
    {
      name: 'returnAll',
      displayName: 'Return All',
      description: `Whether to return every page instead of one (at most ${MAX_LISTED_CONTEXTS} contexts).`,
      kind: 'boolean',
      default: false,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    {
      name: 'limit',
      displayName: 'Limit',
      description: 'Contexts per page (MaxResults).',
      kind: 'number',
      default: 10,
      schema: { type: 'integer', minimum: 1, maximum: 100 },
      expected: 'a whole number from 1 to 100',
    },
    {
      name: 'pageCursor',
      displayName: 'Page Cursor',
      description: 'The `nextToken` output of the previous page; empty for the first page.',
      kind: 'string',
      default: '',
      showWhen: { returnAll: [false] },
      schema: { type: 'string', maxLength: 1024 },
      expected: 'the nextToken of a previous List Contexts result',
    },
  ],
  outputs: [
    { name: 'contexts', type: 'object[]', description: 'One {contextId, name, createdAt, lastUsedAt, state} per context.' },
    { name: 'count', type: 'number', description: 'Number of contexts returned.' },
    { name: 'totalCount', type: 'number', description: 'Total number of contexts.' },
    { name: 'nextToken', type: 'string', description: 'Token of the next page; empty on the last page.' },
    { name: 'maxResults', type: 'number', description: 'Page size used.' },
    { name: 'truncated', type: 'boolean', description: `With Return All: whether the list stopped at ${MAX_LISTED_CONTEXTS} contexts.` },
    lastRequestIdOutput,
  ],
  async execute(context, input) {
    const returnAll = input.returnAll === true;
    let page = await fetchPage(context, input.limit, returnAll ? undefined : input.pageCursor || undefined);
    const contexts = [...page.contexts];
    while (returnAll && page.nextToken && contexts.length < MAX_LISTED_CONTEXTS) {
      context.progress(runtimeText('listingContexts', { found: contexts.length }));
      page = await fetchPage(context, input.limit, page.nextToken);
      contexts.push(...page.contexts);
    }
    const truncated = returnAll && (contexts.length > MAX_LISTED_CONTEXTS || (contexts.length === MAX_LISTED_CONTEXTS && page.nextToken !== ''));
    return {
      json: {
        contexts: contexts.slice(0, MAX_LISTED_CONTEXTS),
        count: Math.min(contexts.length, MAX_LISTED_CONTEXTS),
        totalCount: page.totalCount,
        nextToken: returnAll && !truncated ? '' : page.nextToken,
        maxResults: page.maxResults,
        truncated,
        requestId: page.requestId,
      },
    };
  },
});
