/** Shows `~` for the home directory, so paths in messages stay short. */
export function displayPath(file: string, env: Record<string, string | undefined>): string {
  const home = env.HOME;
  if (home && (file === home || file.startsWith(`${home}/`))) return `~${file.slice(home.length)}`;
  return file;
}
