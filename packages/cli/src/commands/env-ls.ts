import type { CommandContext } from '../context.js';
import { stringFlag } from '../context.js';
import { table } from '../output.js';
import { startAppCommand } from '../prologue.js';
import { openStore } from '../store/index.js';

/**
 * `credkit env ls`: the app's environments, from the metadata store only. Which store was read goes
 * to stderr (stdout stays the table) and into --json.
 */
export async function envLsCommand(options: CommandContext): Promise<number> {
  const { flags } = options;
  const { json, out, app } = startAppCommand(options);
  const store = await openStore(options);
  const [record, environments] = await Promise.all([store.getApp(app), store.listEnvironments(app)]);
  if (json) {
    out.json({
      app,
      store: store.kind,
      location: store.describe(app),
      account: record?.account ?? null,
      environments,
    });
    return 0;
  }
  out.note(`Store: ${store.kind} (${store.describe(app)})`);
  if (environments.length === 0) {
    out.line(`No environments recorded for app ${out.style.bold(app)}.`);
    out.note(
      `Create one with: credkit env init --name NAME${stringFlag(flags, 'app') ? ` --app ${app}` : ''}`,
    );
    return 0;
  }
  out.line(`Environments of app ${out.style.bold(app)} (account ${record?.account ?? 'not pinned'}):`);
  const rows = [
    ['NAME', 'ACCOUNT', 'REGION', 'CREDENTIALS'].map((h) => out.style.dim(h)),
    ...environments.map((e) => [e.name, e.account, e.region, e.credentialSource]),
  ];
  for (const line of table(rows, '  ')) out.line(line.trimEnd());
  return 0;
}
