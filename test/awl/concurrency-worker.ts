/**
 * One of the processes of concurrency.test.ts: says it is ready (`<go>.<own>.ready`),
 * waits for the go file, then runs
 * `n` AWL updates for the shared sender (and one sender of its own) through its
 * own store handle, and prints how many it made and when it started and ended (ms).
 * Usage: node concurrency-worker.js <db> <go-file> <n> <score> <own-address>
 */
import { existsSync, writeFileSync } from 'node:fs';
import { awlAdjust } from '../../src/awl/awl';
import { awlSettings } from '../../src/awl/settings';
import { openAwlStore } from '../../src/awl/stores/sqlite';

const [db, go, n, score, own] = process.argv.slice(2) as [string, string, string, string, string];
const store = openAwlStore(db);
const conf = awlSettings({});
writeFileSync(`${go}.${own}.ready`, '');
const deadline = Date.now() + 20000;
while (!existsSync(go) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
const started = Date.now();
let done = 0;
async function run(): Promise<void> {
  for (let i = 0; i < Number(n); i++) {
    await awlAdjust(store, { from: 'shared@example.com', ip: '203.0.113.5' }, Number(score), conf);
    await awlAdjust(store, { from: own, ip: '198.51.100.7' }, 1, conf);
    done++;
  }
  await store.close();
  process.stdout.write(`${done} ${started} ${Date.now()}\n`);
}
void run();
