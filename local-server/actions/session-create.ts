/**
 * CreateMcpSession (docs/protocol.md §3.1). The only way a session comes into being.
 */
import { invalidParameter } from '../protocol/errors';
import { unflatten } from '../protocol/params';
import { parseBindings } from '../contexts/sync';
import { compileParams, labelsExpect, labelsJsonSchema } from '../protocol/validate';
import type { PersistenceItem } from '../session-store';
import { defineAction } from './types';
import { sessionData } from './views';

interface CreateParams {
  ImageId?: string;
  Labels?: Record<string, string>;
  PersistenceDataList?: PersistenceItem[];
  McpPolicyId?: string;
  NetworkId?: string;
  EnableRecord?: boolean;
  ExtraConfigs?: Record<string, unknown>;
  SdkStats?: Record<string, unknown>;
  LoginRegionId?: string;
}

const validate = compileParams<CreateParams>({
  ImageId: { schema: { type: 'string', maxLength: 128 }, expect: 'an image id such as "linux_latest"' },
  Labels: { schema: { type: 'string' }, expect: labelsExpect, json: labelsJsonSchema },
  PersistenceDataList: {
    schema: { type: 'string' },
    expect: 'a JSON array string of {"ContextId","Path","Policy"?} objects (Policy itself a JSON string)',
    json: {
      type: 'array',
      maxItems: 32,
      items: {
        type: 'object',
        required: ['ContextId', 'Path'],
        properties: {
          ContextId: { type: 'string', minLength: 1, maxLength: 64 },
          Path: { type: 'string', minLength: 1, maxLength: 1024 },
          Policy: { type: 'string', maxLength: 65536 },
        },
      },
    },
  },
  McpPolicyId: { schema: { type: 'string' }, expect: 'a policy id string' },
  NetworkId: { schema: { type: 'string' }, expect: 'a network id string' },
  EnableRecord: { schema: { type: 'boolean' }, expect: 'true or false' },
  ExtraConfigs: { schema: { type: 'string' }, expect: 'a JSON object string', json: { type: 'object' } },
  SdkStats: { schema: { type: 'string' }, expect: 'a JSON object string', json: { type: 'object' } },
  LoginRegionId: { schema: { type: 'string' }, expect: 'a region id such as "cn-shanghai"' },
});

export const createMcpSession = defineAction('CreateMcpSession', validate, async (ctx, p) => {
  // Py's core flattens ExtraConfigs into `ExtraConfigs.Mobile.LockResolution=...` form keys.
  const flattened = unflatten(ctx.raw, 'ExtraConfigs');
  if (p.ExtraConfigs !== undefined && flattened !== undefined) {
    throw invalidParameter('Invalid parameter ExtraConfigs: send either a JSON string or flattened ExtraConfigs.* keys, not both.');
  }
  // Paths, policies and context ids are checked before the session exists.
  const bindings = parseBindings(ctx.contexts.store, p.PersistenceDataList ?? []);
  const session = await ctx.store.create({
    imageId: p.ImageId ?? 'linux_latest',
    labels: p.Labels ?? {},
    persistence: p.PersistenceDataList ?? [],
    mcpPolicyId: p.McpPolicyId,
    networkId: p.NetworkId,
    enableRecord: p.EnableRecord,
    extraConfigs: p.ExtraConfigs ?? flattened,
    sdkStats: p.SdkStats,
    loginRegionId: p.LoginRegionId,
  });
  ctx.contexts.syncs.attach(session.id, session.workspace, bindings);
  return { data: { ...sessionData(ctx.server, ctx.factory, session), ErrMsg: '' } };
});
