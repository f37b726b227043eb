/**
 * Preloaded by `npm test` (`node --require`, which the test runner passes on to each test
 * process): every process of the run keeps its compiled rule-set cache in one temporary
 * directory, removed when the run ends, never in the user's ~/.cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.HAMLET_CACHE_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-test-cache-'));
  process.env.HAMLET_CACHE_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
