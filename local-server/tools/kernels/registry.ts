/**
 * The kernels of one session, one per language, started on first use and kept in the session's
 * tool state. A kernel that died is replaced on the next call; the session's destroy kills them
 * all (they run through ToolContext.startKernel, which the workspace tracks).
 */
import type { ToolContext } from '../context';
import { Kernel } from './kernel';
import { kernelLaunch, type Language } from './languages';

const STATE_KEY = 'run_code.kernels';

type Kernels = Map<Language, Promise<Kernel | string>>;

function kernelsOf(ctx: ToolContext): Kernels {
  let kernels = ctx.state.get(STATE_KEY) as Kernels | undefined;
  if (kernels === undefined) {
    kernels = new Map();
    ctx.state.set(STATE_KEY, kernels);
  }
  return kernels;
}

/** The session's live kernel for `language`, started if needed; a string says why there is none. */
export async function kernelFor(language: Language, ctx: ToolContext): Promise<Kernel | string> {
  const kernels = kernelsOf(ctx);
  const existing = kernels.get(language);
  if (existing !== undefined) {
    const kernel = await existing;
    if (typeof kernel !== 'string' && kernel.alive) return kernel;
    if (kernels.get(language) === existing) kernels.delete(language);
    else return kernelFor(language, ctx); // another call replaced it meanwhile
  }
  const starting = (async (): Promise<Kernel | string> => {
    const launch = await kernelLaunch(language, ctx);
    return typeof launch === 'string' ? launch : Kernel.start(ctx, launch);
  })();
  kernels.set(language, starting);
  const kernel = await starting.catch((err: unknown) => `The ${language} kernel could not be started: ${err instanceof Error ? err.message : String(err)}`);
  // A failed start is not cached: the next call tries again (e.g. after the disk was freed).
  if (typeof kernel === 'string' && kernels.get(language) === starting) kernels.delete(language);
  return kernel;
}
