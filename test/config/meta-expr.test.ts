import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMetaExpr } from '../../src/config/meta-expr';
import { compileMeta, evalMeta } from '../../src/engine/meta';

function run(src: string, hits: Record<string, number>): number {
  const p = parseMetaExpr(src);
  if (typeof p === 'string') throw new Error(p);
  const walked = evalMeta(p.expr, (n) => hits[n] ?? 0);
  // The compiled form the scanner uses must agree with the tree walk.
  const names = [...new Set([...p.deps, ...Object.keys(hits)])];
  const counts = Float64Array.from(names, (n) => hits[n] ?? 0);
  assert.equal(compileMeta(p.expr, (n) => names.indexOf(n))(counts), walked, `compiled ${src}`);
  return walked;
}

test('precedence and Perl operand semantics', () => {
  const cases: [string, Record<string, number>, number][] = [
    ['A && B', { A: 1, B: 1 }, 1],
    ['A && !B', { A: 1, B: 1 }, 0],
    ['A || B && C', { A: 0, B: 1, C: 0 }, 0],
    ['(A || B) && C', { A: 1, C: 1 }, 1],
    ['A + B + C > 1', { A: 1, C: 1 }, 1],
    ['A + B + C > 2', { A: 1, C: 1 }, 0],
    ['!A + 1', { A: 0 }, 2], // ! binds tighter than +
    ['A * 2 + B == 5', { A: 2, B: 1 }, 1],
    ['(A && B) + C', { A: 1, B: 3, C: 1 }, 4], // && yields its last operand, like Perl
    ['A / B', { A: 1, B: 0 }, 0],
    ['-A + 2', { A: 1 }, 1],
    ['A >= 2 || B <= 0', { A: 1, B: 1 }, 0],
  ];
  for (const [src, hits, want] of cases) assert.equal(run(src, hits), want, src);
});

test('dependencies are the rule names read', () => {
  const p = parseMetaExpr('(__A && !__B) || (__A + C_D > 1)');
  assert.notEqual(typeof p, 'string');
  if (typeof p !== 'string') assert.deepEqual([...p.deps].sort(), ['C_D', '__A', '__B']);
});

test('bad expressions give a reason', () => {
  for (const bad of ['A &&', '(A', 'A B', 'A ? B : C', 'A $ B', '']) assert.equal(typeof parseMetaExpr(bad), 'string', bad);
});
