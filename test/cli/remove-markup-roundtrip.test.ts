/**
 * `hamlet < m | hamlet -d` gives back m, byte for byte, for every corpus message
 * and every markup form: spam with report_safe 0, 1 and 2 (Subject rewritten)
 * and ham. In-process over the whole corpus (about 10-40 s), then a few through
 * the real command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../src/config/load';
import { parseMessage } from '../../src/message/parse';
import { checkMessage } from '../../src/check/index';
import { markupOptionsFrom } from '../../src/report/check';
import { removeMarkup } from '../../src/report/remove-markup';
import { CORPUS_GROUPS, corpusFiles, corpusMessage } from '../helpers/corpus';
import { FIXTURE_RULES, HAMLET_BIN, rulesDir } from './fixture';

const dir = rulesDir();
const variant = (extra: string) => {
  const rules = loadConfig({ configPath: dir, extraText: extra });
  return { rules, settings: markupOptionsFrom(rules, { now: new Date(Date.UTC(2026, 10, 28)) }) };
};
const VARIANTS = {
  'spam, report_safe 0': variant('required_score -100\nreport_safe 0'),
  'spam, report_safe 1': variant('required_score -100\nreport_safe 1'),
  'spam, report_safe 2': variant('required_score -100\nreport_safe 2'),
  ham: variant('required_score 100'),
};

test('-d restores every corpus message from every markup form', () => {
  let checked = 0;
  const failures: string[] = [];
  const parseOptions = VARIANTS.ham.rules.parseOptions;
  for (const group of CORPUS_GROUPS) {
    for (const file of corpusFiles(group)) {
      const raw = readFileSync(file);
      const msg = parseMessage(raw, parseOptions); // the variants parse alike: parse once
      for (const [name, v] of Object.entries(VARIANTS)) {
        const marked = checkMessage(msg, v.rules, { settings: v.settings }).marked;
        if (!removeMarkup(marked, '*****SPAM*****').equals(raw)) failures.push(`${file} (${name})`);
        checked++;
      }
    }
  }
  assert.deepEqual(failures.slice(0, 10), []);
  assert.equal(checked, 6046 * 4);
});

test('hamlet < m | hamlet -d == m through the command', () => {
  assert.ok(FIXTURE_RULES.includes('rewrite_header'));
  const cases = [corpusMessage('spam-2', '00002'), corpusMessage('easy-ham-1', '00001'), readFileSync(`${__dirname}/../../../data/sample-spam.eml`)];
  for (const [i, raw] of cases.entries()) {
    for (const extra of ['report_safe 0', 'report_safe 1', 'report_safe 2']) {
      const args = ['-C', dir, '--siteconfigpath', dir, '-p', '/nonexistent-prefs-ok', `--cf=${extra}`, '--cf=required_score 0'];
      const marked = execFileSync(process.execPath, [HAMLET_BIN, ...args], { input: raw, stdio: ['pipe', 'pipe', 'ignore'] });
      assert.notDeepEqual(marked, raw);
      const back = execFileSync(process.execPath, [HAMLET_BIN, '-d', ...args], { input: marked });
      assert.ok(back.equals(raw), `case ${i}, ${extra}`);
    }
  }
});
