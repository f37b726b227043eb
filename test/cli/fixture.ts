/** A tiny rules directory for CLI tests: a few rules and the report settings under test. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const FIXTURE_RULES = `
body     SAMPLE_PRIZE      /\\b(?:won|winner|prize)\\b/i
describe SAMPLE_PRIZE      Talks about prizes
score    SAMPLE_PRIZE      3.5
header   SAMPLE_CAPS_SUBJ  Subject =~ /^[^a-z]{12,}$/
describe SAMPLE_CAPS_SUBJ  Subject is all capitals
score    SAMPLE_CAPS_SUBJ  2.0
body     SAMPLE_THE        /\\bthe\\b/i
describe SAMPLE_THE        Says "the"
score    SAMPLE_THE        0.1
rewrite_header Subject *****SPAM*****
`;

/** A fresh temporary rules directory holding `text` (the fixture rules by default) as 50_rules.cf. */
export function rulesDir(text: string = FIXTURE_RULES): string {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-cli-'));
  writeFileSync(join(dir, '50_rules.cf'), text);
  return dir;
}

/** The `hamlet` shim, run with node. */
export const HAMLET_BIN = resolve(__dirname, '..', '..', '..', 'bin', 'hamlet.js');
