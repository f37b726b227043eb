/** lazy(): the value is built on the first call only, and a load that throws is tried again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lazy } from '../../src/util/lazy';

test('builds nothing until asked, then once', () => {
  let builds = 0;
  const get = lazy(() => ({ n: ++builds }));
  assert.equal(builds, 0);
  const first = get();
  assert.equal(get(), first);
  assert.equal(builds, 1);
});

test('keeps an undefined value without building it again', () => {
  let builds = 0;
  const get = lazy(() => {
    builds++;
    return undefined;
  });
  get();
  get();
  assert.equal(builds, 1);
});

test('a load that throws is tried again on the next call', () => {
  let tries = 0;
  const get = lazy(() => {
    if (++tries === 1) throw new Error('not yet');
    return tries;
  });
  assert.throws(get, /not yet/);
  assert.equal(get(), 2);
  assert.equal(get(), 2);
});
