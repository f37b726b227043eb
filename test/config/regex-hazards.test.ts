import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backtrackingHazards } from '../../src/config/regex-hazards';

test('nested unbounded repetition that can end its group is reported', () => {
  for (const p of ['(a+)+b', '(\\w+\\s?)*$', '(?:x|.*)+y', '(?:\\d+)*z', '((ab)+)+']) {
    assert.ok(backtrackingHazards(p).length > 0, p);
  }
});

test('safe shapes are not reported', () => {
  for (const p of ['(?:[^./]+\\.)+com', '(?:ab)+', 'a+b+c*', '(?:\\s(?:foo|bar))+', '[(+*]+', '\\(a+\\)+', '(?:a+)++', '(a{1,3}){1,5}']) {
    assert.deepEqual(backtrackingHazards(p), [], p);
  }
});
