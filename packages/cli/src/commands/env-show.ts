import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from '../context.js';
import { booleanFlag, stringFlag } from '../context.js';
import { createOutput, table } from '../output.js';
import {
  type EnvironmentRecord,
  type MetadataStore,
  openStore,
  resolveAppName,
  validateEnvName,
} from '../store/index.js';

/** The recorded environment, or ENV_NOT_FOUND naming the ones that are recorded. */
export async function findEnvironment(
  store: MetadataStore,
  app: string,
  name: string,
): Promise<EnvironmentRecord> {
  const found = await store.getEnvironment(app, name);
  if (found === undefined) {
    const names = (await store.listEnvironments(app)).map((e) => e.name);
    throw new CredkitError('ENV_NOT_FOUND', `Environment "${name}" is not recorded for app "${app}".`, {
      hint:
        names.length === 0
          ? `App "${app}" has no environments yet in ${store.describe(app)}: run \`credkit env init --name ${name}\`.`
          : `Recorded environments: ${names.join(', ')}. Pass --app if it belongs to another app, --store if it is in another store.`,
      details: { app, name, store: store.kind },
    });
  }
  return found;
}

/** `credkit env show`: one environment, from the metadata store only. */
export async function envShowCommand(options: CommandContext): Promise<number> {
  const { flags, env, cwd } = options;
  const json = booleanFlag(flags, 'json');
  const out = createOutput(options, json);
  const app = resolveAppName(stringFlag(flags, 'app'), env, cwd);
  const name = validateEnvName(stringFlag(flags, 'name')!);
  const store = await openStore(options);
  const environment = await findEnvironment(store, app, name);
  if (json) {
    out.json({ app, store: store.kind, location: store.describe(app), ...environment });
    return 0;
  }
  out.note(`Store: ${store.kind} (${store.describe(app)})`);
  const rows = [
    ['Environment', out.style.bold(environment.name)],
    ['App', app],
    ['Account', environment.account],
    ['Region', environment.region],
    ['Credentials', environment.credentialSource],
    ...(environment.arn ? [['Verified as', environment.arn]] : []),
    ['Created', environment.createdAt],
  ];
  for (const line of table(rows)) out.line(line);
  return 0;
}
