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
