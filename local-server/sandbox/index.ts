/**
 * Entry point of the session sandbox: the only thing the protocol layer imports (besides the
 * contract types re-exported here). The tools come from outside (`options.catalogue`).
 */
import { mkdir, realpath, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { SessionWorkspace, WorkspaceFactory, WorkspaceFactoryOptions } from './contract';
import { LimitEnforcement } from './enforcement';
import { chooseIsolation } from './isolation';
import { resolveLimits } from './limits';
import { probeUserSwitch } from './run-as';
import { Workspace } from './workspace';

export * from './contract';
export { SessionPaths } from './paths';
export { ToolError } from './errors';

/** Session ids become directory names: keep them to a safe alphabet, never `.`-prefixed. */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** Sandbox-wide files (synthesised /etc/passwd ...) live next to the sessions. */
const SANDBOX_ETC = '.sandbox-etc';
/** Where the tmpfs probe mounts once at start. */
const MOUNT_PROBE = '.mount-probe';

export async function createWorkspaceFactory(options: WorkspaceFactoryOptions): Promise<WorkspaceFactory> {
  await mkdir(options.baseDir, { recursive: true });
  // Containment checks compare realpaths, so the base must be one too (e.g. /tmp → /private/tmp).
  const baseDir = await realpath(options.baseDir);
  const limits = resolveLimits(options.limits);
  const isolation = await chooseIsolation(options.isolation ?? 'auto', path.join(baseDir, SANDBOX_ETC), limits.diskBytes, options.commandHost ?? true);
  const enforcement = await LimitEnforcement.choose(limits, options.limitMechanisms ?? {}, path.join(baseDir, MOUNT_PROBE));
  const { setpriv, userSwitch } = await probeUserSwitch(isolation, baseDir, options.userSwitchGid);

  return {
    isolation: isolation.mode,
    isolationNote: isolation.note,
    limitsSummary: enforcement.summary(),
    limitsNote: enforcement.note(),
    userSwitch,
    tools: () => options.catalogue.descriptors(),
    async create(sessionId: string): Promise<SessionWorkspace> {
      if (!SESSION_ID.test(sessionId)) throw new Error(`Invalid session id for a workspace: ${JSON.stringify(sessionId)}`);
      const rootDir = path.join(baseDir, sessionId);
      const exists = await stat(rootDir).then(() => true, () => false);
      if (exists) throw new Error(`Workspace for session ${sessionId} already exists`);
      await mkdir(rootDir);
      // The session's own filesystem (if any) is mounted on rootDir, so it comes before the subdirectories.
      const limiter = await enforcement.createSession(sessionId, rootDir).catch(async (err: unknown) => {
        await rm(rootDir, { recursive: true, force: true });
        throw err;
      });
      try {
        await mkdir(path.join(rootDir, 'home', 'wuying'), { recursive: true });
        await mkdir(path.join(rootDir, 'tmp'), { recursive: true });
      } catch (err) {
        await limiter.destroy();
        await rm(rootDir, { recursive: true, force: true });
        throw err;
      }
      return new Workspace(sessionId, rootDir, isolation, limiter, options.catalogue, setpriv);
    },
    close: () => enforcement.close(),
  };
}
