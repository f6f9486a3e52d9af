import type { ListedProfile } from '../profiles/list.js';

/**
 * Why a listed profile cannot give credentials, as the profile plan reported it when the profile was
 * listed (an incomplete profile, or an error in its chain: a cycle, a missing or unsupported source),
 * or undefined when it can be used. Warnings (a shadowed setting, an odd region) do not disable it.
 */
export function profileProblem(profile: ListedProfile): string | undefined {
  if (profile.kind === 'incomplete') return profile.incompleteReason ?? 'it sets no credentials';
  const broken = profile.diagnostics.find((d) => d.severity === 'error');
  return broken === undefined ? undefined : besideName(profile.name, broken.message);
}

/**
 * The plan's message, shown beside `[profile NAME]`: without the leading `Profile "NAME" …` that
 * the row already says, and without the final period.
 */
function besideName(name: string, message: string): string {
  const quoted = `Profile "${name}" `;
  let text = message;
  if (text.startsWith(`${quoted}cannot be resolved: `))
    text = text.slice(`${quoted}cannot be resolved: `.length);
  else if (text.startsWith(quoted)) text = text.slice(quoted.length);
  return text.replace(/\.$/, '');
}
