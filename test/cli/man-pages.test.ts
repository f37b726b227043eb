/**
 * The man pages (man/*.1, `npm run man`) and the README say what `--help` says: every option
 * a command's `--help` lists is in its man page and in its README section.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, helpOf, optionNames, parseHelp } from '../../src/cli/help-text';
import { manPage, roff } from '../../src/cli/man-pages';

const ROOT = join(__dirname, '..', '..', '..');
const helps = Object.fromEntries(COMMANDS.map((c) => [c, parseHelp(helpOf(c))]));

/** The README section that documents `command`: from its heading to the next heading of its level or above. */
function readmeSection(command: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = new RegExp(`^## The \`${command}\` command$`, 'm').exec(readme);
  assert.ok(m, `README has a section for ${command}`);
  const level = /^#+/.exec(m[0])![0].length;
  const rest = readme.slice(m.index + m[0].length);
  const end = new RegExp(`^#{1,${level}} `, 'm').exec(rest);
  return rest.slice(0, end ? end.index : undefined);
}

/** True when `text` names option `name` (not as part of a longer word or option). */
const mentions = (text: string, name: string): boolean => new RegExp(`(^|[^\\w-])${name.replace(/[-]/g, '\\-')}(?![\\w-])`).test(text);

for (const c of COMMANDS) {
  test(`${c} --help lists options, each with a description`, () => {
    const h = helps[c]!;
    assert.ok(h.options.length > 5, `${c}: ${h.options.length} options`);
    for (const o of h.options) assert.ok(optionNames(o.flags).length > 0, o.flags);
  });

  test(`man/${c}.1 lists every option of ${c} --help, and is what npm run man makes now`, () => {
    const man = readFileSync(join(ROOT, 'man', `${c}.1`), 'utf8');
    for (const o of helps[c]!.options) for (const n of optionNames(o.flags)) assert.ok(man.includes(roff(n)), `${n} is in man/${c}.1 (run npm run man)`);
    assert.equal(man, manPage(c, helps[c]!), `man/${c}.1 is current (run npm run man)`);
  });

  test(`the README's ${c} section names every option of ${c} --help`, () => {
    const section = readmeSection(c);
    // An option counts as named by any of its spellings (`-C` or `--configpath`); -V and -h go without saying.
    const missing = helps[c]!.options
      .map((o) => optionNames(o.flags))
      .filter((names) => !names.some((n) => ['-h', '--help', '-V', '--version'].includes(n)) && !names.some((n) => mentions(section, n)))
      .map((names) => names.join(', '));
    assert.deepEqual(missing, [], `options of ${c} --help the README's section does not name`);
  });
}

test('roff: hyphens and backslashes escaped, a leading dot made literal', () => {
  assert.equal(roff('--cf a\\b'), '\\-\\-cf a\\eb');
  assert.equal(roff('.not a request'), '\\&.not a request');
});
