/**
 * A tool failure with a one-line message that goes to the client verbatim as `isError: true`.
 * Anything else thrown inside a tool is a bug and is reported with a generic prefix.
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Turns a Node fs error into a ToolError naming the *virtual* path (host paths never leak). */
export function fsError(err: unknown, virtualPath: string): ToolError {
  if (err instanceof ToolError) return err;
  switch (errnoCode(err)) {
    case 'ENOENT':
      return new ToolError(`No such file or directory: ${virtualPath}`);
    case 'EISDIR':
      return new ToolError(`Is a directory: ${virtualPath}`);
    case 'ENOTDIR':
      return new ToolError(`Not a directory: ${virtualPath}`);
    case 'EEXIST':
      return new ToolError(`File already exists: ${virtualPath}`);
    case 'ENOTEMPTY':
      return new ToolError(`Directory not empty: ${virtualPath}`);
    case 'EACCES':
    case 'EPERM':
      return new ToolError(`Permission denied: ${virtualPath}`);
    case 'ELOOP':
      return new ToolError(`Too many levels of symbolic links: ${virtualPath}`);
    case 'ENOSPC':
      return new ToolError(`No space left on device: ${virtualPath}`);
    case 'ENAMETOOLONG':
      return new ToolError(`File name too long: ${virtualPath}`);
    default: {
      const msg = err instanceof Error ? err.message : String(err);
      // Strip host paths that Node puts into messages ("..., open '/host/...'").
      return new ToolError(`${msg.replace(/'\/[^']*'/g, `'${virtualPath}'`)}`);
    }
  }
}

export { errnoCode };
