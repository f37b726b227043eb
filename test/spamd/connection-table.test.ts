/** The connection caps: who makes room when hamletd is full (connection-table.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionTable, type ConnEntry } from '../../src/spamd/connection-table';

/** A table on a clock the test moves; `open(key)` returns the entry (or the refusal) and records evictions. */
function setup(maxTotal: number, maxPerKey: number) {
  let clock = 0;
  const table = new ConnectionTable(maxTotal, maxPerKey, () => clock);
  const evicted: string[] = [];
  const open = (key: string, name: string): ConnEntry | string => {
    const a = table.admit(key, (why) => evicted.push(`${name}:${why}`));
    return a.ok ? a.entry : `refused:${a.why}`;
  };
  const tick = (ms: number): void => {
    clock += ms;
  };
  return { table, evicted, open, tick };
}

test('under the caps every connection is admitted', () => {
  const { table, open, evicted } = setup(3, 2);
  for (const [k, n] of [['a', 'a1'], ['a', 'a2'], ['b', 'b1']]) assert.equal(typeof open(k!, n!), 'object');
  assert.equal(table.size, 3);
  assert.deepEqual(evicted, []);
});

test('full: the most idle reader is dropped for a fresh client, not the fresh client', () => {
  const { table, open, evicted, tick } = setup(3, 0);
  const a = open('x', 'a') as ConnEntry;
  tick(10);
  open('x', 'b');
  tick(10);
  open('y', 'c');
  tick(10);
  table.touch(a); // a sent bytes just now: b is the most idle
  assert.equal(typeof open('z', 'd'), 'object');
  assert.deepEqual(evicted, ['b:global']);
  assert.equal(table.size, 3);
});

test('answered connections (lingering for the client to close) go before any reader', () => {
  const { open, evicted, tick } = setup(2, 0);
  open('x', 'reader');
  tick(10);
  const done = open('x', 'answered') as ConnEntry;
  done.state = 'done';
  tick(10);
  open('y', 'new');
  assert.deepEqual(evicted, ['answered:global']);
});

test('connections being scanned are never dropped; with nothing else to drop the newcomer is refused', () => {
  const { table, open, evicted } = setup(2, 0);
  (open('x', 'a') as ConnEntry).state = 'busy';
  (open('x', 'b') as ConnEntry).state = 'busy';
  assert.equal(open('y', 'c'), 'refused:global');
  assert.deepEqual(evicted, []);
  assert.deepEqual(table.counts, { evicted: 0, refused: 1 });
});

test('per address: an address at its cap makes room among its own connections only', () => {
  const { open, evicted, tick } = setup(10, 2);
  open('attacker', 'a1');
  tick(1);
  open('victim', 'v1');
  tick(1);
  open('attacker', 'a2');
  tick(1);
  assert.equal(typeof open('attacker', 'a3'), 'object');
  assert.deepEqual(evicted, ['a1:per-ip'], 'v1 is older but belongs to another address');
});

test('per address: all of its connections busy, it is refused while other addresses still get in', () => {
  const { open } = setup(10, 1);
  (open('busy', 'b1') as ConnEntry).state = 'busy';
  assert.equal(open('busy', 'b2'), 'refused:per-ip');
  assert.equal(typeof open('other', 'o1'), 'object');
});

test('release is idempotent and frees the slot; active counts unanswered connections', () => {
  const { table, open } = setup(1, 0);
  const a = open('x', 'a') as ConnEntry;
  assert.equal(table.active, 1);
  a.state = 'done';
  assert.equal(table.active, 0);
  table.release(a);
  table.release(a);
  assert.equal(table.size, 0);
  assert.equal(typeof open('x', 'b'), 'object');
});
