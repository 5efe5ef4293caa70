/**
 * Response models shaped like the official SDK's generated ones (typescript/src/api/models),
 * for `$dara.cast`. JSON-in-a-string fields are typed 'string' here, stricter than some SDK
 * versions ('any' for ToolList), so a nested JSON value from the server fails the cast.
 * The classes declare no instance fields on purpose: under ES2022 class-field semantics a field
 * declaration would wipe what the Model constructor assigns (docs/protocol.md §8).
 */
import * as $dara from '@darabonba/typescript';

type Types = Record<string, unknown>;
type ModelClass = typeof $dara.Model;

function model(names: Record<string, string>, types: Types): ModelClass {
  return class extends $dara.Model {
    static names(): Record<string, string> {
      return names;
    }
    static types(): Types {
      return types;
    }
  };
}

/** A model whose wire names are its keys. */
function plain(types: Types): ModelClass {
  return model(Object.fromEntries(Object.keys(types).map((k) => [k, k])), types);
}

/** `{headers, statusCode, body}` around an envelope whose `Data` has `dataType`. */
export function responseModel(dataType: unknown): ModelClass {
  const body = plain({
    RequestId: 'string',
    Success: 'boolean',
    Code: 'string',
    Message: 'string',
    HttpStatusCode: 'number',
    Data: dataType,
    NextToken: 'string',
    MaxResults: 'number',
    TotalCount: 'number',
  });
  return plain({ headers: { type: 'map', keyType: 'string', valueType: 'string' }, statusCode: 'number', body });
}

export const CreateMcpSessionData = plain({
  AppInstanceId: 'string',
  ErrMsg: 'string',
  HttpPort: 'string',
  LinkUrl: 'string',
  NetworkInterfaceIp: 'string',
  ResourceId: 'string',
  ResourceUrl: 'string',
  SessionId: 'string',
  Success: 'boolean',
  Token: 'string',
  ToolList: 'string',
  VpcResource: 'boolean',
});

const GetSessionContexts = model({ id: 'id', name: 'name' }, { id: 'string', name: 'string' });

export const GetSessionData = plain({
  AppInstanceId: 'string',
  ResourceId: 'string',
  SessionId: 'string',
  Success: 'boolean',
  HttpPort: 'string',
  NetworkInterfaceIp: 'string',
  Token: 'string',
  VpcResource: 'boolean',
  ResourceUrl: 'string',
  Status: 'string',
  ToolList: 'string',
  contexts: { type: 'array', itemType: GetSessionContexts },
});

export const ListSessionItem = plain({ AppInstanceId: 'string', ImageId: 'string', SessionId: 'string', SessionStatus: 'string' });

export const GetSessionDetailData = plain({
  Aliuid: 'string',
  ApikeyId: 'string',
  AppInstanceGroupId: 'string',
  AppInstanceId: 'string',
  AppUserId: 'string',
  BizType: 'number',
  EndReason: 'string',
  Id: 'number',
  ImageId: 'string',
  ImageType: 'string',
  IsDeleted: 'number',
  PolicyId: 'string',
  RegionId: 'string',
  ResourceConfigId: 'string',
  Status: 'string',
});

export const GetLabelData = plain({ Labels: 'string' });
export const GetLinkData = plain({ Url: 'string' });
export const GetContextInfoData = plain({ ContextStatus: 'string' });

const DesktopInfo = plain({
  AppId: 'string',
  AuthCode: 'string',
  ConnectionProperties: 'string',
  ResourceId: 'string',
  ResourceType: 'string',
  Ticket: 'string',
});
export const GetMcpResourceData = plain({ SessionId: 'string', ResourceUrl: 'string', DesktopInfo });
