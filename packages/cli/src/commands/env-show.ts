import { CredkitError } from '@credkit/temp-creds/errors';
import type { CommandContext } from '../context.js';
import { booleanFlag, stringFlag } from '../context.js';
import { createOutput, table } from '../output.js';
import {
  type AppRecord,
  type EnvironmentRecord,
  openStore,
  resolveAppName,
  validateEnvName,
} from '../store/index.js';

export function findEnvironment(record: AppRecord | undefined, app: string, name: string): EnvironmentRecord {
  const found = record?.environments.find((e) => e.name === name);
  if (found === undefined) {
    const names = record?.environments.map((e) => e.name) ?? [];
    throw new CredkitError('ENV_NOT_FOUND', `Environment "${name}" is not recorded for app "${app}".`, {
      hint:
        names.length === 0
          ? `App "${app}" has no environments yet: run \`credkit env init --name ${name}\`.`
          : `Recorded environments: ${names.join(', ')}. Pass --app if it belongs to another app.`,
      details: { app, name },
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
  const store = openStore(env);
  const environment = findEnvironment(await store.readApp(app), app, name);
  if (json) {
    out.json({ app, ...environment });
    return 0;
  }
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
