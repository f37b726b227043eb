/**
 * checkMessage's outcome builds the markup on first read (spamd's CHECK does
 * not need it): the lazy fields must equal an eager markup, stay stable across
 * reads, and survive a spread (report_safe 0: its wrapper boundary is random).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkMessage } from '../../src/check/index';
import { headerBlock, markupOptionsFrom, reportText } from '../../src/report/check';
import { markupMessage } from '../../src/report/markup';
import { rulesFrom } from '../awl/helpers';

const CF = 'required_score 1\nbody T_PRIZE /\\bthe\\b/i\nscore T_PRIZE 3.5\nreport_safe 0\n';

test('lazy markup equals the eager markup and is built once', () => {
  const rules = rulesFrom(CF);
  const settings = markupOptionsFrom(rules);
  const raw = readFileSync('data/sample-spam.eml');
  const c = checkMessage(raw, rules, { settings });
  const eager = markupMessage(c.msg, c.tags, settings);
  assert.ok(c.result.isSpam);
  assert.ok(c.marked.equals(eager));
  assert.equal(c.marked, c.marked); // the same Buffer: built once
  assert.equal(c.headers, headerBlock(eager));
  assert.equal(c.report, reportText(c.tags, settings));
  assert.ok(c.marked.toString('latin1').startsWith(c.headers));
  const copy = { ...c };
  assert.ok(copy.marked.equals(eager));
  assert.equal(copy.headers, c.headers);
});
