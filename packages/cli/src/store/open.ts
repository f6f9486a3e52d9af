/**
 * Which store a command uses: `--store file|ssm`, else CREDKIT_STORE, else the file store. The SSM
 * store's code (and the application chain it needs) is loaded only when it is chosen.
 */
import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext, FlagValues } from '../context.js';
import { resolveStoreDir } from '../paths.js';
import { FileMetadataStore } from './file-store.js';
import { type MetadataStore, STORE_KINDS, type StoreKind } from './types.js';

export function storeKind(flags: FlagValues, env: Record<string, string | undefined>): StoreKind {
  const flag = flags.store;
  if (typeof flag === 'string') return checkKind(flag, '--store');
  const fromEnv = env.CREDKIT_STORE?.trim();
  if (fromEnv) return checkKind(fromEnv, 'CREDKIT_STORE');
  return 'file';
}

function checkKind(value: string, origin: string): StoreKind {
  const kind = STORE_KINDS.find((k) => k === value);
  if (kind !== undefined) return kind;
  throw new CredkitError(
    'STORE_INVALID',
    `${origin} is "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"; the stores are file and ssm.`,
    {
      hint: `Use ${origin === '--store' ? '--store file or --store ssm' : 'CREDKIT_STORE=file or CREDKIT_STORE=ssm'}.`,
      exitCode: 2,
    },
  );
}

/** Opens one store by kind; the SSM store resolves the application credentials and region. */
export async function openStoreOf(kind: StoreKind, ctx: CommandContext): Promise<MetadataStore> {
  if (kind === 'file') return new FileMetadataStore(resolveStoreDir(ctx.env));
  const { openSsmStore } = await import('./ssm-open.js');
  return openSsmStore(ctx);
}

/** The store the command's flags and environment choose. */
export function openStore(ctx: CommandContext): Promise<MetadataStore> {
  return openStoreOf(storeKind(ctx.flags, ctx.env), ctx);
}
