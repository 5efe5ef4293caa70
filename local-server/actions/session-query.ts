/**
 * Read-only session Actions: GetSession, GetSessionDetail, GetMcpResource (docs/protocol.md §3.1).
 * They also answer for a DELETING session, so delete polling sees the state change. GetSession and
 * GetSessionDetail also answer for a DELETED session during the retention window (session-store.ts):
 * GetSession with Status DELETED, GetSessionDetail with Status FINISH, the value the SDK's delete
 * waits for. GetMcpResource, like every other Action, answers NotFound for it.
 */
import { compileParams, sessionIdField } from '../protocol/validate';
import { defineAction } from './types';
import { resourceUrl, sessionData } from './views';

interface SessionParams {
  SessionId: string;
}

const validateSession = compileParams<SessionParams>({ SessionId: sessionIdField });

export const getSession = defineAction('GetSession', validateSession, (ctx, p) => {
  const session = ctx.store.query(p.SessionId);
  return {
    data: {
      ...sessionData(ctx.server, ctx.factory, session),
      Status: session.status,
      // Lowercase on the wire (docs/protocol.md §3.1). The local server has no context names; the id stands in.
      contexts: session.persistence.map((item) => ({ id: item.ContextId, name: ctx.contexts.store.find(item.ContextId)?.name ?? item.ContextId })),
    },
  };
});

/** The SDK reads only Status; the other fields mirror the cloud model with local values. */
export const getSessionDetail = defineAction('GetSessionDetail', validateSession, (ctx, p) => {
  const session = ctx.store.query(p.SessionId);
  const deleted = session.status === 'DELETED';
  return {
    data: {
      Aliuid: '',
      ApikeyId: 'local',
      AppInstanceGroupId: '',
      AppInstanceId: session.appInstanceId,
      AppUserId: '',
      BizType: 1,
      EndReason: deleted ? 'deleted' : '',
      Id: session.seq,
      ImageId: session.imageId,
      ImageType: 'local',
      IsDeleted: deleted ? 1 : 0,
      PolicyId: session.mcpPolicyId ?? '',
      RegionId: session.loginRegionId ?? 'local',
      ResourceConfigId: '',
      SessionId: session.id,
      Status: deleted ? 'FINISH' : session.status,
    },
  };
});

/** No remote desktop exists locally: DesktopInfo holds placeholders, all strings as the model wants. */
export const getMcpResource = defineAction('GetMcpResource', validateSession, (ctx, p) => {
  const session = ctx.store.get(p.SessionId);
  return {
    data: {
      SessionId: session.id,
      ResourceUrl: resourceUrl(ctx.server, session),
      DesktopInfo: {
        AppId: session.appInstanceId,
        AuthCode: '',
        ConnectionProperties: '',
        ResourceId: session.resourceId,
        ResourceType: 'local',
        Ticket: '',
      },
    },
  };
});
