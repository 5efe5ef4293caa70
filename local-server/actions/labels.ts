/**
 * GetLabel / SetLabel (docs/protocol.md §3.1). Labels travel as a JSON object *string*.
 */
import { compileParams, labelsExpect, labelsJsonSchema, sessionIdField } from '../protocol/validate';
import { defineAction } from './types';

interface GetLabelParams {
  SessionId: string;
  MaxResults?: number;
  NextToken?: string;
}

interface SetLabelParams {
  SessionId: string;
  Labels: Record<string, string>;
}

const validateGet = compileParams<GetLabelParams>({
  SessionId: sessionIdField,
  MaxResults: { schema: { type: 'integer', minimum: 1, maximum: 100 }, expect: 'an integer from 1 to 100' },
  NextToken: { schema: { type: 'string' }, expect: 'a NextToken string' },
});

const validateSet = compileParams<SetLabelParams>({
  SessionId: sessionIdField,
  Labels: { schema: { type: 'string' }, expect: labelsExpect, json: labelsJsonSchema, required: true },
});

/** All labels fit in one page; the envelope carries the pagination fields the model expects. */
export const getLabel = defineAction('GetLabel', validateGet, (ctx, p) => {
  const session = ctx.store.get(p.SessionId);
  return {
    data: { Labels: JSON.stringify(session.labels) },
    envelope: { MaxResults: p.MaxResults ?? 10, NextToken: '', TotalCount: Object.keys(session.labels).length },
  };
});

/** Replaces the whole label set (the SDK sends the complete object). */
export const setLabel = defineAction('SetLabel', validateSet, (ctx, p) => {
  const session = ctx.store.getActive(p.SessionId);
  session.labels = { ...p.Labels };
  return {};
});
