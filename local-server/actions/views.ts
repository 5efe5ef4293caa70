/**
 * How a session is shown on the wire. JSON-in-a-string fields (ToolList, Labels) are encoded
 * here: the SDK's `$dara.cast` rejects an array or object where its model says string.
 */
import { isBrowserImage } from '../browser/browser-service';
import { browserToolDescriptors } from '../browser/page-tools';
import type { WorkspaceFactory } from '../sandbox/contract';
import type { SessionView } from '../session-store';
import type { ServerInfo } from './types';

export function resourceUrl(server: ServerInfo, session: SessionView): string {
  return `${server.url}/sessions/${session.id}`;
}

/** `[{name, server, description, inputSchema, tool}]` as a JSON string; browser images add the browser agent's tools. */
export function toolListJson(factory: WorkspaceFactory, imageId: string): string {
  const tools = isBrowserImage(imageId) ? [...factory.tools(), ...browserToolDescriptors()] : factory.tools();
  return JSON.stringify(
    tools.map((t) => ({
      name: t.name,
      server: t.server,
      description: t.description,
      inputSchema: t.inputSchema,
      tool: t.tool,
    })),
  );
}

/** Fields shared by CreateMcpSession and GetSession `Data`. Empty LinkUrl/Token keep the SDK on the API route (docs/protocol.md §5.1). */
export function sessionData(server: ServerInfo, factory: WorkspaceFactory, session: SessionView): Record<string, unknown> {
  return {
    SessionId: session.id,
    ResourceUrl: resourceUrl(server, session),
    AppInstanceId: session.appInstanceId,
    ResourceId: session.resourceId,
    Success: true,
    HttpPort: '',
    NetworkInterfaceIp: '',
    VpcResource: false,
    Token: '',
    LinkUrl: '',
    ToolList: toolListJson(factory, session.imageId),
  };
}
