/**
 * The slice of the Node-RED runtime API these nodes use, typed here so the adapter compiles
 * without pulling Node-RED's (express-heavy) type packages into the build.
 */
export interface NodeMessage {
  _msgid?: string;
  payload?: unknown;
  [key: string]: unknown;
}

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export interface RedNode {
  id: string;
  credentials?: Record<string, string | undefined>;
  on(event: 'input', listener: (msg: NodeMessage, send: (msg: NodeMessage) => void, done: (error?: Error) => void) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  status(status: NodeStatus | Record<string, never>): void;
  log(message: string): void;
  warn(message: string): void;
  error(message: string, msg?: NodeMessage): void;
}

export interface NodeDefinition {
  id: string;
  type: string;
  name?: string;
  [key: string]: unknown;
}

/** The parts of an express request and response the admin endpoint uses. */
export interface AdminRequest {
  params: Record<string, string | undefined>;
  query: Record<string, unknown>;
}
export interface AdminResponse {
  status(code: number): AdminResponse;
  json(body: unknown): void;
}
export type AdminHandler = (request: AdminRequest, response: AdminResponse, next?: () => void) => void;

export interface RedApi {
  /** Node-RED's message lookup in this node set's catalogues (locales/); returns the key when it has none. */
  _?: (key: string, values?: Record<string, string>) => string;
  /** Node-RED's admin HTTP app (the editor's API), behind its admin auth when that is set. Absent in some hosts. */
  httpAdmin?: { get(path: string, ...handlers: AdminHandler[]): void };
  auth?: { needsPermission(permission: string): AdminHandler };
  nodes: {
    createNode(node: object, definition: NodeDefinition): void;
    registerType(
      type: string,
      constructor: (this: RedNode, definition: NodeDefinition) => void,
      options?: { credentials?: Record<string, { type: 'text' | 'password' }> },
    ): void;
    getNode(id: string): unknown;
  };
  util: {
    evaluateNodeProperty(
      value: unknown,
      type: string,
      node: RedNode,
      msg: NodeMessage,
      callback: (error: Error | null, result: unknown) => void,
    ): void;
  };
}
