import type { CommandContext } from '../context.js';
import { booleanFlag, stringFlag } from '../context.js';
import { type Output, table } from '../output.js';
import { commandApp, startCommand } from '../prologue.js';
import { type EnvironmentRecord, type MetadataStore, openStore } from '../store/index.js';

/**
 * `credkit env ls`: the app's environments, from the metadata store only, sorted by name (the
 * stores sort; one rule, `compareNames`). Which store was read goes to stderr (stdout stays the
 * table) and into --json. `--all`: every app the store holds.
 */
export async function envLsCommand(options: CommandContext): Promise<number> {
  const { flags } = options;
  const { json, out } = startCommand(options);
  // --all names no application: the current directory need not be a valid app name then.
  if (booleanFlag(flags, 'all')) return listAll(await openStore(options), out, json);
  const app = commandApp(options);
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
  environmentTable(out, environments);
  return 0;
}

function environmentTable(out: Output, environments: readonly EnvironmentRecord[]): void {
  const rows = [
    ['NAME', 'ACCOUNT', 'REGION', 'CREDENTIALS'].map((h) => out.style.dim(h)),
    ...environments.map((e) => [e.name, e.account, e.region, e.credentialSource]),
  ];
  for (const line of table(rows, '  ')) out.line(line.trimEnd());
}

/** Exit 1 when a record could not be read: the listing is then incomplete, and scripts must know. */
async function listAll(store: MetadataStore, out: Output, json: boolean): Promise<number> {
  const { apps, problems } = await store.listApps();
  const code = problems.length > 0 ? 1 : 0;
  if (json) {
    out.json({
      store: store.kind,
      location: store.describeStore(),
      applications: apps.map((a) => ({
        app: a.app,
        account: a.account ?? null,
        environments: a.environments,
      })),
      problems,
    });
    return code;
  }
  out.note(`Store: ${store.kind} (${store.describeStore()})`);
  if (apps.length === 0 && problems.length === 0) {
    out.line('No applications recorded in this store.');
    out.note('Create one with: credkit env init --name NAME --app APP');
    return 0;
  }
  apps.forEach((a, i) => {
    if (i > 0) out.line();
    out.line(`${out.style.bold(a.app)} (account ${a.account ?? 'not pinned'}):`);
    if (a.environments.length === 0) out.line('  no environments');
    else environmentTable(out, a.environments);
  });
  for (const p of problems) out.warn(`app ${p.app} was not listed: ${p.code}: ${p.message}`, p.hint);
  return code;
}
