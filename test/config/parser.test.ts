import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDraft } from '../../src/config/draft';
import { parseConfigText, stripComment, type ParseEnv } from '../../src/config/parser';

function parse(text: string, files: Record<string, string> = {}, user = false) {
  const draft = newDraft();
  const env: ParseEnv = {
    user,
    resolve: (_from, target) => target,
    readInclude: (p) => files[p],
  };
  parseConfigText(draft, text, 'main.cf', env);
  return draft;
}

test('comments: # starts one unless escaped', () => {
  assert.equal(stripComment('body X /a\\#b/ # note'), 'body X /a#b/');
  assert.equal(stripComment('   # only a comment'), '');
});

test('conditionals select lines; nesting and else work', () => {
  const d = parse(`
loadplugin Mail::SpamAssassin::Plugin::ReplaceTags
ifplugin Mail::SpamAssassin::Plugin::ReplaceTags
  body IN_PLUGIN /a/
  if (version >= 5.0)
    body TOO_NEW /b/
  else
    body NOT_TOO_NEW /c/
  endif
endif
ifplugin Mail::SpamAssassin::Plugin::NotThere
  body ABSENT /d/
  if (version >= 3.0)
    body NESTED_ABSENT /e/
  else
    body NESTED_ELSE_ABSENT /f/
  endif
endif
if !plugin(Mail::SpamAssassin::Plugin::ReplaceTags)
  body FALLBACK /g/
endif
`);
  assert.deepEqual([...d.rules.keys()].sort(), ['IN_PLUGIN', 'NOT_TOO_NEW']);
  assert.equal(d.lint.filter((m) => m.level === 'error').length, 0);
});

test('scores: one value or four; rule attributes kept', () => {
  const d = parse(`
body A /a/
score A 2.5
score B 0 1.5 2 -3
describe A Has an a
tflags A multiple maxhits=3
priority A -100
score C 1 2
`);
  assert.deepEqual(d.scores.get('A'), [2.5, 2.5, 2.5, 2.5]);
  assert.deepEqual(d.scores.get('B'), [0, 1.5, 2, -3]);
  assert.equal(d.scores.has('C'), false);
  assert.equal(d.describes.get('A'), 'Has an a');
  assert.equal(d.tflags.get('A'), 'multiple maxhits=3');
  assert.equal(d.priorities.get('A'), -100);
  const err = d.lint.find((m) => m.level === 'error');
  assert.ok(err && err.at?.line === 8 && /score for C/.test(err.text));
});

test('unknown options warn with file:line; known ones are stored, old names under new ones', () => {
  const d = parse(`required_score 6.5
frobnicate yes
whitelist_from *@example.com  friend@example.org
welcomelist_from boss@example.net
unwhitelist_from friend@example.org
trusted_networks 10/8
trusted_networks 192.168.1.1
clear_trusted_networks
trusted_networks 172.16/12
`);
  assert.equal(d.options.get('required_score'), '6.5');
  assert.deepEqual(d.options.get('welcomelist_from'), ['*@example.com', 'boss@example.net']);
  assert.deepEqual(d.options.get('trusted_networks'), ['172.16/12']);
  const w = d.lint.find((m) => m.text.includes('frobnicate'));
  assert.deepEqual(w?.at, { file: 'main.cf', line: 2 });
  assert.equal(w?.level, 'warn');
});

test('include reads the named file; unreadable includes are errors', () => {
  const d = parse('include more.cf\ninclude missing.cf\n', { 'more.cf': 'body FROM_INCLUDE /x/\n' });
  assert.ok(d.rules.has('FROM_INCLUDE'));
  assert.deepEqual(d.files, ['main.cf', 'more.cf']);
  assert.ok(d.lint.some((m) => m.level === 'error' && m.text.includes('missing.cf')));
});

test('unbalanced conditionals are errors, not crashes', () => {
  const d = parse('endif\nif (version > 1)\nbody X /x/\n');
  assert.equal(d.lint.filter((m) => m.level === 'error').length, 2);
});

test('user preferences may not define rules unless allowed, nor include files', () => {
  const d = parse('body USER_RULE /x/\ninclude /etc/passwd\nrequired_score 3\n', {}, true);
  assert.equal(d.rules.size, 0);
  assert.equal(d.options.get('required_score'), '3');
  assert.ok(d.lint.some((m) => m.text.includes('include is not allowed')));
});

test('last definition of a rule wins', () => {
  const d = parse('body X /first/\nbody X /second/\n');
  assert.equal(d.rules.get('X')?.text, '/second/');
});
