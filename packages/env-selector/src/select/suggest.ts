/** Up to three names close to `wanted` (typos, case, a missing prefix), closest first. */
export function closeMatches(wanted: string, names: readonly string[]): string[] {
  const lower = wanted.toLowerCase();
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of names) {
    const candidate = name.toLowerCase();
    let score: number;
    if (candidate === lower) score = 0;
    else if (candidate.includes(lower) || lower.includes(candidate)) score = 1;
    else {
      const distance = editDistance(lower, candidate, limit);
      if (distance > limit) continue;
      score = distance + 1;
    }
    scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, 3).map((s) => s.name);
}

/** How many other names an unknown-name hint lists after the near ones. */
export const OTHER_NAMES_SHOWN = 10;

/**
 * What to offer for a name that does not exist: the near names first (a typo, a case slip, a
 * missing prefix), then at most ten others in their listed order, and how many are left unsaid.
 * One rule for every "unknown profile" message, so `env init`, `export`, `exec` and the app chain
 * say the same thing.
 */
export function suggestNames(
  wanted: string,
  names: readonly string[],
): { similar: string[]; others: string[]; more: number } {
  const similar = closeMatches(wanted, names);
  const rest = names.filter((n) => !similar.includes(n));
  const others = rest.slice(0, OTHER_NAMES_SHOWN);
  return { similar, others, more: rest.length - others.length };
}

/**
 * `Did you mean "prod"? Other profiles: a, b, c and 57 more.` (or `Known profiles: …` when none is
 * near): one sentence or two, each ending with a single period.
 */
export function describeNameSuggestions(wanted: string, names: readonly string[]): string {
  const { similar, others, more } = suggestNames(wanted, names);
  const parts: string[] = [];
  if (similar.length > 0) parts.push(`Did you mean ${similar.map((s) => `"${s}"`).join(' or ')}?`);
  if (others.length > 0) {
    const label = similar.length > 0 ? 'Other profiles' : 'Known profiles';
    parts.push(`${label}: ${others.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`);
  }
  return parts.join(' ');
}

/**
 * Levenshtein distance, giving up (returning limit + 1) once it cannot be within `limit`. The one
 * edit distance of credkit: profile suggestions here, command and flag suggestions in the CLI.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}
