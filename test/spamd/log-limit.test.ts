/** Rate-limited log lines (log-limit.ts) and escaped client text (log.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitedLog } from '../../src/spamd/log-limit';
import { escapeLogText, makeLogger } from '../../src/spamd/log';

test('per kind, the first lines of a window are written, the rest summed up when the window ends', async () => {
  let clock = 0;
  const out: string[] = [];
  const log = limitedLog((level, text) => out.push(`${level} ${text}`), { perWindow: 2, windowMs: 50, now: () => clock });
  for (let i = 0; i < 5; i++) log('refused', 'warn', `refused ${i}`);
  log('dropped', 'warn', 'dropped 0'); // another kind has its own budget
  assert.deepEqual(out, ['warn refused 0', 'warn refused 1', 'warn dropped 0']);
  // The summary comes from a timer even when no further line arrives.
  clock = 50;
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(out.slice(3), ['warn 3 more refused lines not logged in the last 0 s']);
  log('refused', 'warn', 'refused 5');
  assert.equal(out.at(-1), 'warn refused 5', 'a new window writes again');
});

test('a window that ends with a new line writes the summary first', () => {
  let clock = 0;
  const out: string[] = [];
  const log = limitedLog((_l, text) => out.push(text), { perWindow: 1, windowMs: 1000, now: () => clock });
  log('k', 'info', 'a');
  log('k', 'info', 'b');
  clock = 1000;
  log('k', 'info', 'c');
  assert.deepEqual(out, ['a', '1 more k lines not logged in the last 1 s', 'c']);
});

test('control characters are escaped; printable text, Latin-1 and other scripts are kept', () => {
  const cases: [string, string][] = [
    ['plain user@example.com', 'plain user@example.com'],
    ['ev\x00il\rname\nINFO: forged', 'ev\\x00il\\x0dname\\x0aINFO: forged'],
    ['tab\tesc\x1b[31mdel\x7f', 'tab\\x09esc\\x1b[31mdel\\x7f'],
    ['c1 \x85 \x9b', 'c1 \\x85 \\x9b'],
    ['caf\xe9 \u00fc \u4e2d', 'caf\xe9 \u00fc \u4e2d'],
    ['line\u2028sep \u202eevil', 'line\\u{2028}sep \\u{202e}evil'],
  ];
  for (const [text, want] of cases) assert.equal(escapeLogText(text), want, JSON.stringify(text));
});

test('every logged line is escaped, whatever its path', () => {
  const out: string[] = [];
  makeLogger('stderr', false, (s) => out.push(s))('info', 'result: user=a\rb\x00c');
  assert.match(out[0]!, /user=a\\x0db\\x00c\n$/);
  assert.equal(out[0]!.split('\n').length, 2, 'one line');
});
