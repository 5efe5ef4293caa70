/**
 * Operations grouped by what they work on. Each group lives in its own file under groups/, so
 * adding an operation touches one group list and nothing else.
 */
export { sessionOperations } from './groups/sessions';
export { executionOperations } from './groups/execution';
export { fileOperations } from './groups/files';
export { sessionManagementOperations } from './groups/session-management';
export { toolOperations } from './groups/tools';
export { browserOperations } from './groups/browser';
export { contextOperations } from './groups/contexts';
