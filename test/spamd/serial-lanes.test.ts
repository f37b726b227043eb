/** SerialLanes: tasks on one key run one after another in order; other keys run freely. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialLanes } from '../../src/spamd/serial-lanes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('tasks on one key never overlap and run in the order given; a failed task does not stop its lane', async () => {
  const lanes = new SerialLanes();
  const store = {};
  const events: string[] = [];
  const task = (name: string, ms: number, fail = false) => async () => {
    events.push(`start ${name}`);
    await sleep(ms);
    events.push(`end ${name}`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([lanes.run(store, task('a', 60)), lanes.run(store, task('b', 10, true)), lanes.run(store, task('c', 10))]);
  assert.deepEqual(events, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  await sleep(0);
  assert.equal(lanes.size, 0, 'an empty lane is dropped');
});

test('tasks on different keys overlap', async () => {
  const lanes = new SerialLanes();
  const t0 = performance.now();
  await Promise.all([lanes.run({}, () => sleep(150)), lanes.run({}, () => sleep(150))]);
  assert.ok(performance.now() - t0 < 280, 'two stores, two lanes');
});
