import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `file` with `text` holding secrets, so that nobody else can read, redirect or half-see it:
 *
 * - the temp file is new (O_CREAT|O_EXCL: an existing file or a planted symlink makes the open fail
 *   instead of being written through), randomly named (128 bits: not guessable in advance), 0600 from
 *   its creation, and in the same directory (so the rename is atomic and never crosses devices);
 * - O_NOFOLLOW as well, for systems where O_EXCL alone would follow a dangling link;
 * - a symlink at `file` itself is refused rather than replaced, so a link the user made on purpose
 *   (a cache kept elsewhere) is not silently turned into a file;
 * - any failure (ENOSPC half-way, EIO on fsync) removes the temp file: no partial copy of the
 *   secrets is left behind; the original file is untouched until the rename.
 */
export async function writeSecretFileAtomic(file: string, text: string): Promise<void> {
  const existing = await lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing?.isSymbolicLink()) {
    throw Object.assign(new Error(`${file} is a symbolic link`), { code: 'ELOOP' });
  }
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(16).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  let created = false;
  try {
    const handle = await open(temp, flags, 0o600);
    created = true;
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    // Only a file this call created is removed: with O_EXCL a failed open means someone else's path.
    if (created) await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}
