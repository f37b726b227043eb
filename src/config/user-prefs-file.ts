/**
 * Where a user's preferences file lives under their home directory. hamlet's own place comes
 * first; SpamAssassin's is honoured after it, so users who switch keep the settings they have.
 */
import { join } from 'node:path';

/** Candidates, most preferred first, relative to a home directory. */
export const USER_PREFS_CANDIDATES: readonly string[] = [join('.hamlet', 'user_prefs'), join('.spamassassin', 'user_prefs')];

/** The first candidate under `home` that `exists`, or undefined. */
export function findUserPrefs(home: string, exists: (path: string) => boolean): string | undefined {
  for (const rel of USER_PREFS_CANDIDATES) {
    const path = join(home, rel);
    if (exists(path)) return path;
  }
  return undefined;
}
