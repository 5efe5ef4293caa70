/**
 * GetLink (docs/protocol.md §3.1). The local server has no tunnel: the URL names the session (and port) on this
 * server so flows get a well-formed value, but nothing is forwarded there.
 */
import { compileParams, sessionIdField } from '../protocol/validate';
import { defineAction } from './types';

interface LinkParams {
  SessionId: string;
  ProtocolType?: string;
  Port?: number;
  Option?: string;
}

const validate = compileParams<LinkParams>({
  SessionId: sessionIdField,
  ProtocolType: { schema: { type: 'string', maxLength: 32 }, expect: 'a protocol name such as "https" or "wss"' },
  Port: { schema: { type: 'integer', minimum: 30100, maximum: 30199 }, expect: 'an integer from 30100 to 30199' },
  Option: { schema: { type: 'string' }, expect: 'an option string' },
});

export const getLink = defineAction('GetLink', validate, (ctx, p) => {
  const session = ctx.store.getActive(p.SessionId);
  const websocket = /^wss?$/i.test(p.ProtocolType ?? '');
  const base = websocket ? ctx.server.url.replace(/^http/, 'ws') : ctx.server.url;
  const port = p.Port === undefined ? '' : `/ports/${p.Port}`;
  return { data: { Url: `${base}/sessions/${session.id}${port}` } };
});
