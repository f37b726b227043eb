/**
 * Option names from SpamAssassin 2.x and 3.x that the set-up tutorials still print (auto-learning
 * in a 2.6x `local.cf`), which SpamAssassin 4 rejects. hamlet reads them under their current name,
 * or ignores the ones that have no current meaning, with a lint note either way, so a copied
 * `local.cf` works and `--lint` says what to write instead.
 * (The 3.x `*whitelist*` spellings are not here: 4.0.1 still accepts them, see options.ts.)
 */

/** An old name: the current option it stands for, or undefined when it is ignored. */
export interface LegacyName {
  readonly now: string | undefined;
  readonly since: string;
}

export const LEGACY_NAMES: Readonly<Record<string, LegacyName>> = {
  auto_learn: { now: 'bayes_auto_learn', since: '3.0' },
  auto_learn_threshold_spam: { now: 'bayes_auto_learn_threshold_spam', since: '3.0' },
  auto_learn_threshold_nonspam: { now: 'bayes_auto_learn_threshold_nonspam', since: '3.0' },
  // 2.x markup switches: 3.0 replaced them with rewrite_header / add_header / report_safe.
  rewrite_subject: { now: undefined, since: '3.0 (use rewrite_header Subject TEXT)' },
  subject_tag: { now: undefined, since: '3.0 (use rewrite_header Subject TEXT)' },
  use_terse_report: { now: undefined, since: '3.0 (use report_safe and the report template)' },
  defang_mime: { now: undefined, since: '3.0 (use report_safe)' },
  report_header: { now: undefined, since: '3.0 (use report_safe 0)' },
  always_add_headers: { now: undefined, since: '3.0 (use add_header)' },
};

/** The lint note for an old name. */
export function legacyNote(key: string, l: LegacyName): string {
  return l.now !== undefined
    ? `config: '${key}' is the SpamAssassin 2.x name of '${l.now}' (renamed in ${l.since}); read as '${l.now}'`
    : `config: '${key}' is a SpamAssassin 2.x option removed in ${l.since}; ignored`;
}
