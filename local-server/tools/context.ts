/**
 * The session as a tool sees it. The types are the sandbox's (sandbox/tool-host.ts), which hands a
 * ToolContext to every tool call; they are re-exported here so each tool names one local module.
 */
export type { DiskQuota, RunSpec, ToolContext } from '../sandbox/tool-host';
