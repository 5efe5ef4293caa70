/**
 * The Action registry: one entry per Action the local server implements.
 */
import {
  clearContext,
  deleteContext,
  deleteContextFile,
  describeContextFiles,
  getContext,
  getContextFileDownloadUrl,
  getContextFileUploadUrl,
  listContexts,
  modifyContext,
} from './context-service';
import { getCdpLink, initBrowser } from './browser';
import { getAndLoadInternalContext, getContextInfo, syncContext } from './contexts';
import { getLabel, setLabel } from './labels';
import { getLink } from './link';
import { createMcpSession } from './session-create';
import { deleteSessionAsync, pauseSessionAsync, releaseMcpSession, resumeSessionAsync } from './session-lifecycle';
import { listSession } from './session-list';
import { getMcpResource, getSession, getSessionDetail } from './session-query';
import { callMcpTool, listMcpTools } from './tools';
import type { ActionDefinition } from './types';

export type { ActionContext, ActionDefinition, ActionResult, ServerInfo } from './types';

const ACTIONS: readonly ActionDefinition[] = [
  createMcpSession,
  listSession,
  getSession,
  getSessionDetail,
  getMcpResource,
  deleteSessionAsync,
  releaseMcpSession,
  pauseSessionAsync,
  resumeSessionAsync,
  getLabel,
  setLabel,
  getLink,
  initBrowser,
  getCdpLink,
  listMcpTools,
  callMcpTool,
  getContextInfo,
  syncContext,
  getAndLoadInternalContext,
  getContext,
  listContexts,
  modifyContext,
  deleteContext,
  clearContext,
  describeContextFiles,
  getContextFileUploadUrl,
  getContextFileDownloadUrl,
  deleteContextFile,
];

const BY_NAME = new Map(ACTIONS.map((action) => [action.name, action]));

/**
 * Actions of the cloud API (docs/protocol.md §3.3) that the local server does not implement. The last five are
 * only in newer SDK models (named, not described, in docs/protocol.md §3.3).
 */
export const KNOWN_UNSUPPORTED = new Set([
  'GetAdbLink',
  'CreateNetwork',
  'DescribeNetwork',
  'ApplyMqttToken',
  'RefreshSessionIdleTime',
  'BindContexts',
  'DescribeSessionContexts',
  'ListSkillMetaData',
  'GetSkillMetaData',
]);

export function findAction(name: string): ActionDefinition | undefined {
  return BY_NAME.get(name);
}
