import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearEligible } from '../../src/config/regex-bounds';

test('linearEligible: V8 linear engine accepts plain patterns, with captures and anchors', () => {
  assert.equal(linearEligible(/<\S+(?:!\S+){1,}>/), true);
  assert.equal(linearEligible(/(?<x>a)b\b/), true);
  assert.equal(linearEligible(/^(a+)+$/g), true);
});

test('linearEligible: refuses the i flag, lookarounds, backreferences and large counted repetition', () => {
  assert.equal(linearEligible(/ab/i), false);
  assert.equal(linearEligible(/a(?=\n?$)/), false);
  assert.equal(linearEligible(/(?<![^\n])a/), false);
  assert.equal(linearEligible(/(a)\1/), false);
  assert.equal(linearEligible(/[^\n]{0,80}x/), false);
});
