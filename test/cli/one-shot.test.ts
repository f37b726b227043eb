/** fewMessages(): which hamlet command lines check few enough messages for quick regex compilation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEW_FILES, fewMessages } from '../../src/cli/one-shot';

const dir = mkdtempSync(join(tmpdir(), 'hamlet-one-shot-'));
const file = join(dir, 'msg.eml');
writeFileSync(file, 'Subject: x\n\nbody\n');
const files = (n: number): string[] => Array.from({ length: n }, () => file);

const cases: ReadonlyArray<[string, readonly string[], boolean]> = [
  ['standard input', ['-t'], true],
  ['one file', ['-t', file], true],
  ['rules and site directories are option values, not mailboxes', ['-t', '-C', dir, '--siteconfigpath', dir, '-p', file, file], true],
  ['a --cf line', ['--cf', 'score X 1', file], true],
  ['--lint', ['--lint', '-C', dir], true],
  [`${FEW_FILES} files`, files(FEW_FILES), true],
  [`${FEW_FILES + 1} files`, files(FEW_FILES + 1), false],
  ['--mbox', ['--mbox', file], false],
  ['a directory (Maildir)', ['-t', dir], false],
  ['a glob', [join(dir, '*.eml')], false],
];

for (const [what, argv, few] of cases) {
  test(`${what}: ${few ? 'few' : 'many'}`, () => assert.equal(fewMessages(argv), few));
}
