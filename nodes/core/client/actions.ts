/**
 * The typed map of AgentBay actions: for each action, the request parameters the SDK sends and
 * the `Data` it answers with (docs/protocol.md §3, after the SDK's generated models). `client.call`
 * is keyed by this map, so an unknown action or a wrong request field fails to compile.
 *
 * Request shapes are type aliases (not interfaces) so they stay assignable to `RpcParams`.
 * Structured values are JSON strings, as the SDK pre-serialises them. A field is required here
 * when the SDK always sends it.
 */
import type { RpcValue } from './rpc-encoding';

/** `Data` of session reads (GetSession, CreateMcpSession). */
interface SessionData {
  SessionId: string;
  ResourceUrl: string;
  AppInstanceId: string;
  ResourceId: string;
  Success: boolean;
  HttpPort: string;
  NetworkInterfaceIp: string;
  VpcResource: boolean;
  Token: string;
  /** str(JSON array) of tools. */
  ToolList: string;
}

interface ContextData {
  Id: string;
  Name: string;
  CreateTime: string;
  LastUsedTime: string;
  OsType: string;
  State: string;
}

type SessionOnly = { SessionId: string };

/** `request`: what is sent; `data`: the envelope's `Data` as documented (`never` when there is none). */
export interface AgentBayActions {
  CreateMcpSession: {
    request: {
      ImageId?: string;
      /** str(JSON object of string to string). */
      Labels?: string;
      McpPolicyId?: string;
      NetworkId?: string;
      /** str(JSON array of {ContextId, Path, Policy?}). */
      PersistenceDataList?: string;
      /** Sent only as `false`, when browser replay is off. */
      EnableRecord?: boolean;
      /** str(JSON object). */
      ExtraConfigs?: string;
      /** str(JSON), always sent by the SDK. */
      SdkStats?: string;
      LoginRegionId?: string;
    };
    data: SessionData & { ErrMsg: string; LinkUrl: string };
  };
  ListSession: {
    /** `Labels` is always sent (`"{}"` when none). */
    request: { Labels: string; MaxResults?: number; NextToken?: string; Status?: string };
    data: Array<{ SessionId: string; SessionStatus: string }>;
  };
  GetSession: {
    request: SessionOnly;
    data: SessionData & { Status: string; contexts: Array<{ id: string; name: string }> };
  };
  GetSessionDetail: {
    request: SessionOnly;
    data: {
      Status: string;
      Aliuid: string;
      ApikeyId: string;
      AppInstanceGroupId: string;
      AppInstanceId: string;
      AppUserId: string;
      BizType: number;
      EndReason: string;
      Id: number;
      ImageId: string;
      ImageType: string;
      IsDeleted: number;
      PolicyId: string;
      RegionId: string;
      ResourceConfigId: string;
    };
  };
  DeleteSessionAsync: { request: SessionOnly; data: never };
  ReleaseMcpSession: { request: SessionOnly; data: never };
  PauseSessionAsync: { request: SessionOnly; data: never };
  ResumeSessionAsync: { request: SessionOnly; data: never };
  GetLabel: {
    request: SessionOnly & { MaxResults?: number; NextToken?: string };
    /** `Labels` is str(JSON object). */
    data: { Labels: string };
  };
  SetLabel: { request: SessionOnly & { Labels: string }; data: never };
  GetLink: {
    request: SessionOnly & { ProtocolType?: string; Port?: number; Option?: string };
    data: { Url: string };
  };
  GetMcpResource: {
    request: SessionOnly;
    data: {
      SessionId: string;
      ResourceUrl: string;
      DesktopInfo: {
        AppId: string;
        AuthCode: string;
        ConnectionProperties: string;
        ResourceId: string;
        ResourceType: string;
        Ticket: string;
      };
    };
  };
  /** `Data` is str(JSON array) of {name, description, inputSchema, server, tool}. */
  ListMcpTools: { request: { ImageId: string }; data: string };
  CallMcpTool: {
    request: SessionOnly & { Args: string; AutoGenSession: boolean; Name: string; Server: string };
    data: { content: Array<{ type: string; text?: string }>; isError: boolean };
  };
  GetContext: {
    request: { Name?: string; AllowCreate: 'true' | 'false'; LoginRegionId?: string; ContextId?: string };
    data: ContextData;
  };
  ListContexts: { request: { MaxResults?: number; NextToken?: string; SessionId?: string }; data: ContextData[] };
  ModifyContext: { request: { Id: string; Name: string }; data: never };
  DeleteContext: { request: { Id: string }; data: never };
  ClearContext: { request: { Id: string }; data: never };
  GetContextInfo: {
    request: SessionOnly & { ContextId?: string; Path?: string; TaskType?: 'upload' | 'download' };
    /** `ContextStatus` is str(JSON); see catalogue/context-sync.ts. */
    data: { ContextStatus: string };
  };
  SyncContext: {
    request: SessionOnly & { ContextId?: string; Path?: string; Mode?: 'upload' | 'download' };
    data: never;
  };
  DescribeContextFiles: {
    request: { ContextId: string; ParentFolderPath: string; PageNumber?: number; PageSize?: number };
    data: Array<{
      FileId: string;
      FileName: string;
      FilePath: string;
      FileType: string;
      GmtCreate: string;
      GmtModified: string;
      Size: number;
      Status: string;
    }>;
  };
  GetContextFileUploadUrl: { request: { ContextId: string; FilePath: string }; data: { Url: string; ExpireTime: number } };
  GetContextFileDownloadUrl: { request: { ContextId: string; FilePath: string }; data: { Url: string; ExpireTime: number } };
  DeleteContextFile: { request: { ContextId: string; FilePath: string }; data: never };
  /** GET; every parameter in the query string. */
  GetAndLoadInternalContext: {
    request: SessionOnly & { 'ContextTypes.1': 'file_transfer' };
    data: Array<{ ContextId: string; ContextPath: string; ContextType: string }>;
  };
  InitBrowser: { request: SessionOnly & { PersistentPath?: string; BrowserOption?: string }; data: { Port: number } };
  GetCdpLink: { request: SessionOnly; data: { Url: string } };
  GetAdbLink: { request: SessionOnly & { Option?: string }; data: { Url: string } };
  CreateNetwork: { request: { LoginRegionId?: string; NetworkId?: string }; data: { NetworkId: string; NetworkToken: string } };
  DescribeNetwork: { request: { NetworkId: string }; data: { Online: boolean } };
}

export type ActionName = keyof AgentBayActions;
export type ActionRequest<A extends ActionName> = AgentBayActions[A]['request'];

/**
 * `Data` as the client hands it over: the documented field names, each value `unknown`, because
 * nothing from the wire is checked. Read values with `str` / `asRecord` (catalogue/session-api.ts);
 * a misspelt field name fails to compile. Arrays and strings stay `unknown`, to be checked first.
 */
export type Unverified<Data> = [Data] extends [never]
  ? unknown
  : Data extends readonly unknown[]
    ? unknown
    : Data extends object
      ? { readonly [Field in keyof Data]?: unknown }
      : unknown;

export type ActionData<A extends ActionName> = Unverified<AgentBayActions[A]['data']>;

/** Compile-time check that every request shape is a valid RPC parameter set. */
type AssertParams<T extends { [A in ActionName]: Record<string, RpcValue> }> = T;
export type CheckedRequests = AssertParams<{ [A in ActionName]: ActionRequest<A> }>;
