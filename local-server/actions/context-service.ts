/**
 * The context service Actions (docs/protocol.md §3.2, §4.4): contexts and their files, without a
 * session. Contexts are listed newest first; `NextToken` is the `seq` of the last context listed.
 */
import { invalidParameter } from '../protocol/errors';
import { compileParams } from '../protocol/validate';
import { contextFilePath } from '../contexts/paths';
import { checkName, contextNotFound, type ContextRecord } from '../contexts/store';
import { defineAction, type ActionContext } from './types';

const idField = (what: string) => ({ schema: { type: 'string', minLength: 1, maxLength: 64 }, expect: `the ${what} id (SdkCtx-...)` });
const nameField = { schema: { type: 'string', maxLength: 1024 }, expect: 'a context name of 1 to 256 characters' };
const filePathField = { schema: { type: 'string', maxLength: 1024 }, expect: 'an absolute file path such as /tmp/data.txt', required: true };

function contextData(c: ContextRecord): Record<string, unknown> {
  return {
    Id: c.id,
    Name: c.name,
    CreateTime: new Date(c.createdAt).toISOString(),
    LastUsedTime: new Date(c.lastUsedAt).toISOString(),
    OsType: 'linux',
    State: c.state,
  };
}

function context(ctx: ActionContext, id: string): ContextRecord {
  return ctx.contexts.store.get(id);
}

interface ListParams {
  MaxResults?: number;
  NextToken?: string;
  SessionId?: string;
}

export const listContexts = defineAction(
  'ListContexts',
  compileParams<ListParams>({
    MaxResults: { schema: { type: 'integer', minimum: 1, maximum: 100 }, expect: 'an integer from 1 to 100' },
    NextToken: { schema: { type: 'string', pattern: '^[0-9]{1,15}$' }, expect: 'the NextToken of the previous page' },
    SessionId: { schema: { type: 'string', maxLength: 128 }, expect: 'a session id' },
  }),
  (ctx, p) => {
    const max = p.MaxResults ?? 10;
    let all = ctx.contexts.store.listed();
    if (p.SessionId !== undefined) {
      const session = ctx.store.get(p.SessionId);
      const bound = new Set(ctx.contexts.syncs.bindings(session.id).map((b) => b.contextId));
      all = all.filter((c) => bound.has(c.id));
    }
    const after = p.NextToken === undefined ? Infinity : Number(p.NextToken);
    const rest = all.filter((c) => c.seq < after);
    const page = rest.slice(0, max);
    const more = rest.length > page.length;
    return {
      data: page.map(contextData),
      envelope: { NextToken: more ? String(page[page.length - 1].seq) : '', MaxResults: max, TotalCount: all.length },
    };
  },
);

interface GetParams {
  Name?: string;
  ContextId?: string;
  AllowCreate?: boolean;
  LoginRegionId?: string;
}

export const getContext = defineAction(
  'GetContext',
  compileParams<GetParams>({
    Name: nameField,
    ContextId: idField('context'),
    AllowCreate: { schema: { type: 'boolean' }, expect: '"true" or "false"' },
    LoginRegionId: { schema: { type: 'string', maxLength: 64 }, expect: 'a region id' },
  }),
  (ctx, p) => {
    const store = ctx.contexts.store;
    if (p.Name !== undefined && p.ContextId !== undefined) {
      throw invalidParameter('Invalid parameters Name and ContextId: send one of them, not both.');
    }
    if (p.ContextId !== undefined) {
      if (p.AllowCreate) throw invalidParameter('Invalid parameter AllowCreate: a context can be created by Name only, not by ContextId.');
      return { data: contextData(context(ctx, p.ContextId)) };
    }
    if (p.Name === undefined) throw invalidParameter('Missing parameter Name: expected a context name (or ContextId).');
    const name = checkName(p.Name, 'Name');
    const found = store.findByName(name);
    if (found) return { data: contextData(found) };
    if (!p.AllowCreate) throw contextNotFound(`no context is named ${JSON.stringify(name)} (send AllowCreate=true to create it)`);
    return { data: contextData(store.create(name)) };
  },
);

export const modifyContext = defineAction(
  'ModifyContext',
  compileParams<{ Id: string; Name: string }>({ Id: { ...idField('context'), required: true }, Name: { ...nameField, required: true } }),
  (ctx, p) => {
    ctx.contexts.store.rename(context(ctx, p.Id), checkName(p.Name, 'Name'));
    return {};
  },
);

export const deleteContext = defineAction(
  'DeleteContext',
  compileParams<{ Id: string }>({ Id: { ...idField('context'), required: true } }),
  async (ctx, p) => {
    await ctx.contexts.store.delete(context(ctx, p.Id));
    return {};
  },
);

export const clearContext = defineAction(
  'ClearContext',
  compileParams<{ Id: string }>({ Id: { ...idField('context'), required: true } }),
  (ctx, p) => {
    const record = context(ctx, p.Id);
    if (record.state === 'clearing') return {};
    record.state = 'clearing';
    const { store, clearDelayMs, pending } = ctx.contexts;
    const clearing = new Promise<void>((resolve) => setTimeout(resolve, clearDelayMs))
      .then(() => store.clearFiles(record))
      .catch(() => undefined)
      .finally(() => {
        record.state = 'available';
        pending.delete(clearing);
      });
    pending.add(clearing);
    return {};
  },
);

interface DescribeParams {
  ContextId: string;
  ParentFolderPath: string;
  PageNumber?: number;
  PageSize?: number;
}

export const describeContextFiles = defineAction(
  'DescribeContextFiles',
  compileParams<DescribeParams>({
    ContextId: { ...idField('context'), required: true },
    ParentFolderPath: { schema: { type: 'string', maxLength: 1024 }, expect: 'an absolute folder path such as /tmp', required: true },
    PageNumber: { schema: { type: 'integer', minimum: 1, maximum: 100000 }, expect: 'a page number from 1' },
    PageSize: { schema: { type: 'integer', minimum: 1, maximum: 500 }, expect: 'a page size from 1 to 500' },
  }),
  (ctx, p) => {
    const record = context(ctx, p.ContextId);
    const folder = contextFilePath(p.ParentFolderPath, 'ParentFolderPath');
    // Direct children: files in the folder, and each subfolder once.
    const entries = new Map<string, Record<string, unknown>>();
    for (const [key, file] of ctx.contexts.store.filesUnder(record, folder)) {
      if (key === folder) continue;
      const rest = key.slice(folder === '/' ? 1 : folder.length + 1);
      const slash = rest.indexOf('/');
      const name = slash < 0 ? rest : rest.slice(0, slash);
      const childPath = folder === '/' ? `/${name}` : `${folder}/${name}`;
      const existing = entries.get(childPath);
      if (slash < 0) {
        entries.set(childPath, {
          FileId: file.fileId, FileName: name, FilePath: childPath, FileType: 'file',
          GmtCreate: new Date(file.createdAt).toISOString(), GmtModified: new Date(file.modifiedAt).toISOString(),
          Size: file.size, Status: 'available',
        });
      } else if (!existing) {
        entries.set(childPath, {
          FileId: '', FileName: name, FilePath: childPath, FileType: 'folder',
          GmtCreate: new Date(file.createdAt).toISOString(), GmtModified: new Date(file.modifiedAt).toISOString(),
          Size: 0, Status: 'available',
        });
      }
    }
    const size = p.PageSize ?? 50;
    const all = [...entries.values()];
    const start = ((p.PageNumber ?? 1) - 1) * size;
    return { data: all.slice(start, start + size), envelope: { Count: all.length } };
  },
);

interface FileParams {
  ContextId: string;
  FilePath: string;
}

const validateFile = compileParams<FileParams>({ ContextId: { ...idField('context'), required: true }, FilePath: filePathField });

export const getContextFileUploadUrl = defineAction('GetContextFileUploadUrl', validateFile, (ctx, p) => {
  const record = context(ctx, p.ContextId);
  const key = contextFilePath(p.FilePath, 'FilePath');
  const signed = ctx.contexts.urls.sign(ctx.server.url, 'upload', record.id, key);
  return { data: { Url: signed.url, ExpireTime: signed.expireTime } };
});

export const getContextFileDownloadUrl = defineAction('GetContextFileDownloadUrl', validateFile, (ctx, p) => {
  const record = context(ctx, p.ContextId);
  const key = contextFilePath(p.FilePath, 'FilePath');
  ctx.contexts.store.file(record, key);
  const signed = ctx.contexts.urls.sign(ctx.server.url, 'download', record.id, key);
  return { data: { Url: signed.url, ExpireTime: signed.expireTime } };
});

export const deleteContextFile = defineAction('DeleteContextFile', validateFile, async (ctx, p) => {
  const record = context(ctx, p.ContextId);
  await ctx.contexts.store.deleteFile(record, contextFilePath(p.FilePath, 'FilePath'));
  return {};
});
