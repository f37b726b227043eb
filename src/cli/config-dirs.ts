/**
 * Where the commands look for configuration by default, and the check that a rules directory
 * holds rules. Kept apart from hamlet.ts so that hamletd's main thread, which never compiles
 * rules, does not load the whole one-shot command (about 40 MB of modules).
 */
import { readdirSync } from 'node:fs';

/** The site configuration directory when `--siteconfigpath` is not given (used if it exists). */
export const DEFAULT_SITE_DIR = '/etc/hamlet';

/** The directory holds at least one `.cf` file (a rules directory worth loading). */
export function hasCfFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => f.endsWith('.cf'));
  } catch {
    return false;
  }
}
