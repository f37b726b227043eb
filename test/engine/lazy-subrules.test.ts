/**
 * Sub-rules decided on demand (lazy-subrules.ts): the meta program's short-circuits give the
 * values the tree walk gives and skip what they can, and a scan that leaves sub-rules for later
 * has the same scored result as one that decides them all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMetaExpr } from '../../src/config/meta-expr';
import { compileMetaProgram, evalMeta, runMeta, type Demander } from '../../src/engine/meta';
import { scan } from '../../src/engine/scanner';
import { parseMessage } from '../../src/message/parse';
import { checkMessage } from '../../src/check/index';
import { rulesFrom } from '../helpers/net-check';

/**
 * `src` evaluated with the names in `lazy` decided on demand, against the tree walk, over every
 * assignment of the values 0, 1, 2 and -1 to its names; returns the names decided per assignment.
 */
function checkAllAssignments(src: string, lazy: readonly string[]): { values: Record<string, number>; decided: string[] }[] {
  const p = parseMetaExpr(src);
  if (typeof p === 'string') throw new Error(p);
  const names = [...p.deps].sort();
  const program = compileMetaProgram([p.expr], (n) => names.indexOf(n), (s) => lazy.includes(names[s]!));
  const out: { values: Record<string, number>; decided: string[] }[] = [];
  const choices = [0, 1, 2, -1];
  for (let code = 0; code < choices.length ** names.length; code++) {
    const values: Record<string, number> = {};
    names.forEach((n, i) => (values[n] = choices[Math.floor(code / choices.length ** i) % choices.length]!));
    const counts = Float64Array.from(names, (n) => (lazy.includes(n) ? 0 : values[n]!));
    const decided: string[] = [];
    const demand: Demander = {
      pending: Uint8Array.from(names, (n) => (lazy.includes(n) ? 1 : 0)),
      decide(slot) {
        demand.pending[slot] = 0;
        decided.push(names[slot]!);
        counts[slot] = values[names[slot]!]!;
      },
    };
    const got = runMeta(program, 0, counts, new Float64Array(program.depth), demand);
    assert.equal(got, evalMeta(p.expr, (n) => values[n] ?? 0), `${src} with ${JSON.stringify(values)}`);
    out.push({ values, decided });
  }
  return out;
}

test('on-demand metas give the tree walk\'s value for every assignment', () => {
  const exprs = ['A && B', 'B && A', '(A && B) + C', 'A || B', '!(A && B) || C', '(A + B > 1) && C', 'A && B && C', 'A && (B || C)', '-(A && B) + C', 'A * (B && C) >= 2'];
  for (const src of exprs) {
    for (const lazy of [['A'], ['B'], ['C'], ['A', 'B'], ['B', 'C'], ['A', 'B', 'C']]) checkAllAssignments(src, lazy);
  }
});

test('`A && B` decides neither on-demand side when the other is 0; `A || B` skips B when A is not 0', () => {
  for (const { values, decided } of checkAllAssignments('A && B', ['B'])) assert.equal(decided.includes('B'), values.A !== 0);
  // The side needing nothing runs first, whichever side it is.
  for (const { values, decided } of checkAllAssignments('B && A', ['B'])) assert.equal(decided.includes('B'), values.A !== 0);
  for (const { values, decided } of checkAllAssignments('A || B', ['B'])) assert.equal(decided.includes('B'), values.A === 0);
  // Sums need every operand.
  for (const { decided } of checkAllAssignments('A + B > 1', ['B'])) assert.deepEqual(decided, ['B']);
});

const CF = [
  'body __CHEAP /\\bcheap\\b/',
  'body __WATCH /\\bwatch(?:es)?\\b/',
  'header __FROM_SHOP From =~ /shop/',
  'meta __SHOP_WATCH __FROM_SHOP && __WATCH',
  'meta CHEAP_WATCH __CHEAP && __SHOP_WATCH',
  'meta ANY_OF (__CHEAP || __WATCH) && !__FROM_SHOP',
  'body __COUNTED /\\bbuy\\b/',
  'tflags __COUNTED multiple',
  'meta BUY_TWICE __COUNTED > 1',
  'score CHEAP_WATCH 2',
  'score ANY_OF 1',
  'score BUY_TWICE 0.5',
].join('\n');

function mail(from: string, body: string): Buffer {
  return Buffer.from(`From: ${from}\nTo: b@example.org\nSubject: hi\nMessage-ID: <1@x>\n\n${body}\n`);
}

test('a scan leaving sub-rules for the metas scores as one deciding them all, and skips what no meta needed', () => {
  const rs = rulesFrom(CF);
  const froms = ['a@shop.example', 'a@home.example'];
  const bodies = ['cheap watches here', 'cheap things', 'watch this', 'nothing', 'buy buy now cheap watch', 'buy once'];
  for (const from of froms) {
    for (const body of bodies) {
      const raw = mail(from, body);
      const lazy = scan(parseMessage(raw), rs.compiled);
      const all = scan(parseMessage(raw), rs.compiled, { allSubrules: true });
      assert.deepEqual(lazy.tests, all.tests, `${from} / ${body}`);
      assert.equal(lazy.score, all.score);
      assert.deepEqual(lazy.hits, all.hits);
    }
  }
  // Not from the shop and nothing cheap: __SHOP_WATCH and __WATCH are never needed.
  const r = scan(parseMessage(mail('a@home.example', 'watch this')), rs.compiled);
  assert.deepEqual(r.tests, ['ANY_OF']);
  const all = scan(parseMessage(mail('a@home.example', 'watch this')), rs.compiled, { allSubrules: true });
  assert.equal(all.counts.get('__WATCH'), 1);
  assert.equal(r.counts.get('__WATCH'), 1, 'ANY_OF reads __WATCH once __CHEAP is 0');
  const skipped = scan(parseMessage(mail('a@home.example', 'nothing here')), rs.compiled);
  assert.equal(skipped.counts.has('__SHOP_WATCH'), false);
});

test('a template showing _SUBTESTS_ gets every sub-rule a scored rule depends on', () => {
  const raw = mail('a@home.example', 'cheap watch');
  const subs = (cf: string): string | undefined => /^X-Spam-Subs: (.*)$/m.exec(checkMessage(raw, rulesFrom(cf)).headers)?.[1];
  assert.equal(subs(`${CF}\nadd_header all Subs _SUBTESTS_`), '__CHEAP,__WATCH');
  assert.equal(subs(`${CF}\nadd_header all Subs _SUBTESTSCOLLAPSED_`), '__CHEAP,__WATCH');
  // Without it the scan stops at what the metas needed (__WATCH: ANY_OF had __CHEAP, CHEAP_WATCH no shop).
  assert.equal(scan(parseMessage(raw), rulesFrom(CF).compiled).counts.has('__WATCH'), false);
});
