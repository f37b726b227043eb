/** Required literals and the one-pass literal matcher the scanner uses to skip rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiteralMatcher } from '../../src/engine/literal-matcher';
import { candidateLines } from '../../src/engine/prefilter';
import { requiredLiterals, requirement } from '../../src/engine/required-literals';
import { translatePerlRegex } from '../../src/regex/perl-regex';

function lits(perl: string, flags = ''): string[] | undefined {
  const t = translatePerlRegex(perl, flags);
  if ('error' in t) throw new Error(t.error);
  const r = requiredLiterals(t.re);
  return r && [...r].sort();
}

test('required literals: what every match must contain', () => {
  assert.deepEqual(lits('viagra'), ['viagra']);
  assert.deepEqual(lits('Free (?:money|cash)'), ['free cash', 'free money']);
  assert.deepEqual(lits('\\bcheap\\s+meds\\b', 'i'), ['cheap']);
  assert.deepEqual(lits('ad+res+'), ['dres']); // repetition joins its first and last unit to neighbours
  assert.deepEqual(lits('(?:colou?r|shade)s?'), ['color', 'colour', 'shade']);
  assert.deepEqual(lits('[Nn]ame[sn]?'), ['name']); // supersets dropped: finding "name" suffices
});

test('a repeated group needs one literal per copy', () => {
  const t = translatePerlRegex('(?:(?:your )?(?:name|phone|city)[:\\s]+_{3,}\\s*){3}', 'i');
  assert.ok(!('error' in t));
  assert.deepEqual(requirement(t.re), { literals: ['name', 'phone', 'city'], minCount: 3 });
});

test('required literals: nothing claimed when a match may avoid every literal', () => {
  for (const p of ['(?:foo)?bar?', 'a.b', '\\d{3}-\\d{4}', 'x|yz', '(?:abc)*', '[^a]bc', '(?=abc)']) assert.equal(lits(p), undefined, p);
});

test('legacy octal escapes are one character, not NUL then digits', () => {
  // \012 is a newline: "\nabc" is required, never "\u000012abc" (a rule with it would never run).
  const octal = requiredLiterals(new RegExp('\\012abc'));
  assert.ok(new RegExp('\\012abc').test('x\nabcx'));
  assert.deepEqual(octal && [...octal], ['\nabc']);
  // \12 with no group is octal too: its digits are not literals.
  assert.equal(requiredLiterals(new RegExp('[\\12]x')), undefined);
});

test('required literals hold on matches (stock-like patterns, many subjects)', () => {
  const patterns = ['(?:^|\\s)(?:your|my)\\s+(?:acc(?:ou)?nt|password)', 'click\\s+(?:here|below)', '(?i:urgent) reply', 'won\\s+\\$?\\d+', 'pa[s$]{2}word'];
  const subjects = ['Please CLICK  here now', 'your account is locked', 'Your  Acct details', 'URGENT reply needed', 'you won $500', 'enter your pa$$word', 'nothing to see'];
  let matched = 0;
  for (const p of patterns) {
    const t = translatePerlRegex(p, 'i');
    assert.ok(!('error' in t));
    const req = requiredLiterals(t.re);
    for (const s of subjects) {
      if (!t.re.test(s)) continue;
      matched++;
      if (req) assert.ok(req.some((l) => s.toLowerCase().includes(l)), `${p} on ${s}`);
    }
  }
  assert.ok(matched >= 5);
});

test('literal matcher finds every occurring literal in one pass, case-folded, by line', () => {
  const m = new LiteralMatcher(['he', 'she', 'his', 'hers', 'viagra']);
  const hits = new Map<number, number[]>();
  m.scan('uSHErs', 0, hits);
  m.scan('cheap VIAGRA', 1, hits); // c-HE-ap
  m.scan('she said', 2, hits);
  assert.deepEqual(Object.fromEntries(hits), { 0: [0, 1, 2], 1: [0, 2], 3: [0], 4: [1] });
});

test('candidate lines: the union of the lines holding any needed literal', () => {
  const hits = new Map<number, number[]>([
    [0, [0, 4]],
    [2, [1, 4, 7]],
  ]);
  const need = (ids: number[], minCount = 1) => ({ ids: Int32Array.from(ids), minCount });
  assert.deepEqual(candidateLines(need([0, 2]), hits), [0, 1, 4, 7]);
  assert.deepEqual(candidateLines(need([2]), hits), [1, 4, 7]);
  assert.deepEqual(candidateLines(need([1, 3]), hits), []);
  // Two occurrences needed on one line: only line 4 has them (one of each literal).
  assert.deepEqual(candidateLines(need([0, 2], 2), hits), [4]);
  assert.deepEqual(candidateLines(need([0], 2), new Map([[0, [3, 3, 5]]])), [3]);
});

test('a matcher read back from its tables (trie and links, rows filled on demand) finds the same literals', () => {
  const literals = ['he', 'she', 'his', 'hers', 'viagra', 'via', 'gra', 'free money', 'money', 'a', 'aaa', 'x-mailer'];
  const built = new LiteralMatcher(literals);
  const t = built.tables();
  // The trie has one edge per state but the root: far smaller than the dense table.
  assert.equal(t.childState.length, t.fail.length - 1);
  let seed = 7;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  const alphabet = 'aehirsvgx- fmonyAEHS.\u00e9';
  const texts = Array.from({ length: 300 }, () => Array.from({ length: rnd(40) }, () => alphabet[rnd(alphabet.length)]).join(''));
  texts.push('She sells viagra and free money; his hers X-Mailer aaaa');
  const hitsOf = (m: LiteralMatcher): string => {
    const h = new Map<number, number[]>();
    texts.forEach((s, i) => m.scan(s, i, h));
    return JSON.stringify([...h].sort((a, b) => a[0] - b[0]));
  };
  const want = hitsOf(built);
  const lazy = new LiteralMatcher(t);
  assert.equal(hitsOf(lazy), want);
  assert.deepEqual(lazy.tables(), t);
  const full = new LiteralMatcher(t);
  full.fillAll();
  assert.equal(hitsOf(full), want);
  assert.deepEqual(full.tables(), t, 'a filled table reads back to the same trie');
});
