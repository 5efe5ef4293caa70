/**
 * Mocha root hooks for the whole suite: an unhandled promise rejection or uncaught exception
 * anywhere (a node's async handler, a server callback) fails the run instead of passing silently;
 * so does an operation result whose keys disagree with its outputs[] table (output-contract.ts).
 */
import { checkCatalogueOutputs, contractViolations } from './output-contract';

checkCatalogueOutputs();
const problems: string[] = [];

function record(kind: string) {
  return (reason: unknown) => {
    problems.push(`${kind}: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  };
}

const onRejection = record('unhandled rejection');
const onException = record('uncaught exception');

export const mochaHooks = {
  beforeAll(): void {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtExceptionMonitor', onException);
  },
  afterAll(): void {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtExceptionMonitor', onException);
    if (problems.length > 0) throw new Error(`the suite left ${problems.length} unhandled error(s):\n${problems.join('\n\n')}`);
    if (contractViolations.length > 0) {
      throw new Error(`operation results disagree with their outputs[] tables:\n${[...new Set(contractViolations)].join('\n')}`);
    }
  },
};
