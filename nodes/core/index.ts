/** Public API of the runtime-neutral core, for programmatic use and for both adapters. */
export { AgentBayClient, DEFAULT_TIMEOUT_MS, systemClock } from './client/client';
export type { CallOptions, ClientOptions, Clock, RpcEnvelope } from './client/client';
export { AgentBayError, InputValidationError, redactSecrets } from './client/errors';
export { REGIONS, resolveBaseUrl } from './client/endpoint';
export { AxiosTransport } from './client/transport';
export type { HttpTransport } from './client/transport';
export { operations, operationById } from './catalogue/index';
export type { OperationDefinition, ParameterDefinition } from './catalogue/types';
export type { SessionRef } from './catalogue/session';
export { runOperation } from './run-operation';
