import type { CommandContext } from '../context.js';
import { table } from '../output.js';
import { startEnvCommand } from '../prologue.js';
import { findEnvironment, openStore } from '../store/index.js';

/** `credkit env show`: one environment, from the metadata store only. */
export async function envShowCommand(options: CommandContext): Promise<number> {
  const { json, out, app, name } = startEnvCommand(options);
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
