/**
 * The fault matrix both runtimes run: every fault the local server can inject, once, on the own
 * Action of Create Session, Execute Command and Delete Session, with the outcome the README's
 * Retries and Guarantees sections promise. The flow around the node is the one the README
 * recommends (Create Session → Execute Command → Delete Session, the error path to Delete
 * Session too), so every cell also ends with the server's own count: 0 sessions left.
 */
import type { FaultOptions } from '../../local-server/server';

export type NodeUnderTest = 'createSession' | 'executeCommand' | 'deleteSession';

export const NODES: readonly NodeUnderTest[] = ['createSession', 'executeCommand', 'deleteSession'];

/** The one Action each node's fault is injected on (`onlyActions`). */
export const ACTION_OF: Record<NodeUnderTest, string> = {
  createSession: 'CreateMcpSession',
  executeCommand: 'CallMcpTool',
  deleteSession: 'DeleteSessionAsync',
};

export const COMMAND = 'echo fault-matrix';
/** Lost Answer Lookup of the flow's Create Session: after-faults leave the session there at the first look. */
export const LOOKUP_SECONDS = 1;
/** The connection's timeout where no answer is held back. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface Fault {
  id: string;
  title: string;
  faults: FaultOptions;
}

export const FAULTS: readonly Fault[] = [
  { id: 'throttle', title: 'throttled, retry-after 1 s', faults: { throttleEveryN: 1, throttleRetryAfterSeconds: 1 } },
  { id: '503-before', title: '503 before the server acted', faults: { serverErrorEveryN: 1 } },
  { id: '503-after', title: '503 after the server acted', faults: { serverErrorAfterEveryN: 1 } },
  { id: 'reset-before', title: 'connection reset before the server acted', faults: { dropEveryN: 1 } },
  { id: 'reset-after', title: 'connection reset after the server acted', faults: { dropAfterEveryN: 1 } },
  { id: 'timeout', title: 'answer held back past the client timeout (after the server acted)', faults: { slowAfterEveryN: 1 } },
  { id: 'not-json-after', title: 'HTML 502 instead of JSON after the server acted', faults: { notJsonAfterEveryN: 1 } },
  { id: 'success-false', title: 'HTTP 200 with Success:false (InternalError), before the server acted', faults: { successFalseEveryN: 1 } },
];

export type Outcome =
  /** The node succeeded; for Create Session, whether the session was found by its token. */
  | { ok: true; recovered?: boolean }
  /** The node failed with this code (Node-RED `msg.error.code`, n8n `context.code`) and message. */
  | { ok: false; code: string; message: RegExp };

export interface Cell {
  node: NodeUnderTest;
  fault: Fault;
  /** The server's fault: the fault's, once (`maxFaults: 1`), on the node's own Action only. */
  faults: FaultOptions;
  /** The connection's timeout (small where the answer is held back). */
  timeoutMs: number;
  /** Execute Command's own Timeout (ms); its HTTP timeout is this plus 10 s. */
  commandTimeoutMs?: number;
  expected: {
    outcome: Outcome;
    /** How often the node's Action reached the server: 1 = never repeated. */
    requests: number;
    /** Retries the node reported (Node-RED warning, n8n log). */
    retries: number;
    /** Sessions on the server when the flow reaches its Delete Session: 1 = no duplicate (0 when none was made). */
    sessionsBeforeDelete: number;
  };
}

const notMade: Outcome = { ok: false, code: 'SessionNotCreated', message: /the answer was lost .* no session carries the label agentbay-client-token=[0-9a-f-]{36} .*: no session was made/ };
const recovered: Outcome = { ok: true, recovered: true };

/** Create Session: a lost answer is never repeated; the session is found by its token, or none was made. */
const CREATE: Record<string, Cell['expected']> = {
  throttle: { outcome: { ok: true, recovered: false }, requests: 2, retries: 1, sessionsBeforeDelete: 1 },
  '503-before': { outcome: notMade, requests: 1, retries: 0, sessionsBeforeDelete: 0 },
  '503-after': { outcome: recovered, requests: 1, retries: 0, sessionsBeforeDelete: 1 },
  'reset-before': { outcome: notMade, requests: 1, retries: 0, sessionsBeforeDelete: 0 },
  'reset-after': { outcome: recovered, requests: 1, retries: 0, sessionsBeforeDelete: 1 },
  timeout: { outcome: recovered, requests: 1, retries: 0, sessionsBeforeDelete: 1 },
  'not-json-after': { outcome: recovered, requests: 1, retries: 0, sessionsBeforeDelete: 1 },
  'success-false': { outcome: notMade, requests: 1, retries: 0, sessionsBeforeDelete: 0 },
};

const execFailed = (code: string, message: RegExp): Cell['expected'] => ({
  outcome: { ok: false, code, message },
  requests: 1,
  retries: 0,
  sessionsBeforeDelete: 1,
});

/** Execute Command: only throttling is retried (the command may have run); every other fault is the node's error. */
const EXECUTE: Record<string, Cell['expected']> = {
  throttle: { outcome: { ok: true }, requests: 2, retries: 1, sessionsBeforeDelete: 1 },
  '503-before': execFailed('ServiceUnavailable', /^\[ServiceUnavailable\] Injected fault/),
  '503-after': execFailed('ServiceUnavailable', /^\[ServiceUnavailable\] Injected fault/),
  'reset-before': execFailed('NetworkError', /^CallMcpTool failed: /),
  'reset-after': execFailed('NetworkError', /^CallMcpTool failed: /),
  timeout: execFailed('Timeout', /^CallMcpTool failed: No answer within 11000 ms/),
  'not-json-after': execFailed('InvalidResponse', /^CallMcpTool failed: the service answered HTTP 502 with a body that is not JSON/),
  'success-false': execFailed('InternalError', /^\[InternalError\] Injected fault/),
};

/** Delete Session: every fault is retried once; a NotFound on the retry means the first attempt deleted it. */
const DELETE: Record<string, Cell['expected']> = Object.fromEntries(
  FAULTS.map((fault) => [fault.id, { outcome: { ok: true }, requests: 2, retries: 1, sessionsBeforeDelete: 1 }]),
);

const EXPECTED: Record<NodeUnderTest, Record<string, Cell['expected']>> = {
  createSession: CREATE,
  executeCommand: EXECUTE,
  deleteSession: DELETE,
};

/** Held-back answers: past the connection's 2 s timeout, or past Execute Command's 1 s + 10 s. */
function timing(node: NodeUnderTest, fault: Fault): Pick<Cell, 'timeoutMs' | 'commandTimeoutMs'> & { slowAfterMs?: number } {
  if (fault.id !== 'timeout') return { timeoutMs: DEFAULT_TIMEOUT_MS };
  if (node === 'executeCommand') return { timeoutMs: DEFAULT_TIMEOUT_MS, commandTimeoutMs: 1000, slowAfterMs: 11_500 };
  return { timeoutMs: 2000, slowAfterMs: 4000 };
}

export const CELLS: readonly Cell[] = NODES.flatMap((node) =>
  FAULTS.map((fault) => {
    const { slowAfterMs, ...times } = timing(node, fault);
    const faults: FaultOptions = { ...fault.faults, onlyActions: [ACTION_OF[node]], maxFaults: 1 };
    if (slowAfterMs !== undefined) faults.slowAfterMs = slowAfterMs;
    return { node, fault, faults, ...times, expected: EXPECTED[node][fault.id] };
  }),
);

/** Short text for a cell's outcome, for test titles. */
export function describeOutcome(expected: Cell['expected']): string {
  const { outcome } = expected;
  if (!outcome.ok) return `fails with ${outcome.code}`;
  return outcome.recovered ? 'recovers the session it made' : 'succeeds';
}
