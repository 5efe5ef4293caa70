import { getLabels } from '../operations/get-labels';
import { getLink } from '../operations/get-link';
import { getMetrics } from '../operations/get-metrics';
import { getResourceInfo } from '../operations/get-resource-info';
import { getStatus } from '../operations/get-status';
import { pauseSession } from '../operations/pause-session';
import { resumeSession } from '../operations/resume-session';
import { setLabels } from '../operations/set-labels';
import type { OperationDefinition } from '../types';

export const sessionManagementOperations: readonly OperationDefinition[] = [
  getStatus,
  getResourceInfo,
  getLabels,
  setLabels,
  getLink,
  getMetrics,
  pauseSession,
  resumeSession,
];
