import { CredkitError } from '@credkit/temp-creds/errors';

export const HINT_HOME = 'Set CREDKIT_HOME to a directory you own, or fix the permissions.';

/** One mapping from an fs error to a coded store error, for the record and its lock alike. */
export function storeIoError(
  file: string,
  cause: unknown,
  action: 'read' | 'write' | 'create',
): CredkitError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new CredkitError(
      'STORE_DISK_FULL',
      `Cannot ${action} the credkit metadata ${file}: the disk is full (${code}). Nothing was changed.`,
      {
        hint: 'Free some space on that disk, or set CREDKIT_HOME to a directory on another one.',
        details: { file },
      },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new CredkitError(
      action === 'read' ? 'STORE_UNREADABLE' : 'STORE_NOT_WRITABLE',
      `Cannot ${action} the credkit metadata ${file}: permission denied.`,
      { hint: HINT_HOME, details: { file } },
    );
  }
  if (code === 'EISDIR') {
    return new CredkitError('STORE_NOT_A_FILE', `The metadata file is a directory: ${file}`, {
      hint: 'Move it away; credkit stores each app as a JSON file.',
      details: { file },
    });
  }
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new CredkitError('STORE_NOT_A_DIRECTORY', `A path on the way to ${file} is not a directory.`, {
      hint: HINT_HOME,
      details: { file },
    });
  }
  return new CredkitError(
    'STORE_IO_ERROR',
    `Cannot ${action} the credkit metadata ${file} (${code ?? 'error'}).`,
    {
      hint: HINT_HOME,
      details: { file },
    },
  );
}
