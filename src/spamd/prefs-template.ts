/**
 * `--create-prefs`: a user without a preferences file gets one, as spamd gives
 * one. spamd copies SpamAssassin's template; this is hamlet's own short text,
 * only comments, so it changes nothing until the user edits it (worker.ts treats
 * a comments-only file as the site configuration).
 */
import { createOwnedFile, type UserTree } from '../util/owned-files';

export const PREFS_TEMPLATE = `# Your spam filter preferences (hamlet). Lines here change how hamletd
# scores your mail only; the site's configuration covers everything else.
# Remove the leading "# " of a line to use it. Examples:
#
# required_score 5.0                  (points from which mail counts as spam)
# welcomelist_from friend@example.org (mail from this sender is never spam)
# blocklist_from *@annoying.example   (mail from this sender is always spam)
# score SOME_RULE 0                   (switch one rule off)
# report_safe 0                       (mark spam with headers only)
`;

/** Create `path` (owned by the tree's user, 0600) when missing; returns the path. */
export function createPrefsFile(tree: UserTree, path: string): string {
  createOwnedFile(tree, path, 0o600, PREFS_TEMPLATE);
  return path;
}
