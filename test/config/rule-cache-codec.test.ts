/**
 * The rule-set cache's codec: regex sources travel as UTF-8 bytes after V8's part and are
 * decoded when a regex is first used; every regex and ASCII form comes back as it was (non-ASCII
 * sources too), and bytes whose source places do not fit are refused, not trusted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRuleSet, encodeRuleSet } from '../../src/config/rule-cache-codec';
import { asciiOfTest } from '../../src/engine/ascii-form-memo';
import type { CompiledRule } from '../../src/engine/types';
import { rulesFrom } from '../helpers/net-check';

const CF = [
  'body BODY_PLAIN /\\bcheap (?:pills|meds)\\b/i',
  'body BODY_LATIN /caf\\xe9 cr\\xe8me/',
  `body BODY_UTF8 /${Buffer.from('żółw', 'utf8').toString('latin1')}/`,
  'rawbody RAW_ONE /^X-Odd: \\d+$/m',
  'uri URI_ONE m{^https?://[^/]+\\.example/}i',
  'header HDR_ONE Subject =~ /\\bwin(?:ner)?\\b/i',
  'full FULL_ONE /\\nX-Full: yes/',
  'body __SUB_ONE /never/',
  'meta META_ONE BODY_PLAIN && !__SUB_ONE',
  ...['BODY_PLAIN', 'BODY_LATIN', 'BODY_UTF8', 'RAW_ONE', 'URI_ONE', 'HDR_ONE', 'FULL_ONE', 'META_ONE'].map((r) => `score ${r} 1`),
].join('\n');

const regexOf = (r: CompiledRule): RegExp | undefined => ('re' in r.test ? (r.test as { re: RegExp }).re : undefined);

test('every regex and ASCII form comes back from the bytes as it was', () => {
  const rs = rulesFrom(CF);
  const bytes = encodeRuleSet(rs);
  const back = decodeRuleSet(bytes);
  assert.ok(typeof back !== 'string', String(back));
  const byName = new Map(back.compiled.rules.map((r) => [r.name, r]));
  let seen = 0;
  for (const r of rs.compiled.rules) {
    const was = regexOf(r);
    const now = byName.get(r.name);
    assert.ok(now, r.name);
    if (!was) continue;
    seen++;
    assert.equal(regexOf(now)!.source, was.source, r.name);
    assert.equal(regexOf(now)!.flags, was.flags, r.name);
    if (r.test.type === 'regex' && r.area !== 'full') assert.equal(asciiOfTest(now.test as { re: RegExp })?.source, asciiOfTest(r.test as { re: RegExp })?.source, `${r.name} ASCII form`);
  }
  assert.ok(seen >= 7, `regex rules checked: ${seen}`);
  // Rules match text as bytes (one char per byte).
  assert.ok(regexOf(byName.get('BODY_UTF8')!)!.test(Buffer.from('a żółw here', 'utf8').toString('latin1')));
});

test('a source beyond ASCII (stored as UTF-8) comes back whole', () => {
  const rs = rulesFrom(CF);
  const rule = rs.compiled.rules.find((r) => r.name === 'HDR_ONE')!;
  // Translated sources escape bytes above 0x7f; a source that holds them as they are must survive too.
  (rule.test as { re: RegExp }).re = /żółw|日本|\xe9/i;
  const back = decodeRuleSet(encodeRuleSet(rs));
  assert.ok(typeof back !== 'string', String(back));
  const re = regexOf(back.compiled.rules.find((r) => r.name === 'HDR_ONE')!)!;
  assert.deepEqual([re.source, re.flags], ['żółw|日本|\\xe9', 'i']);
});

test('bytes whose sources are cut short are refused', () => {
  const bytes = encodeRuleSet(rulesFrom(CF));
  assert.match(String(decodeRuleSet(bytes.subarray(0, bytes.length - 10))), /wrong shape/);
  assert.match(String(decodeRuleSet(bytes.subarray(0, 3))), /wrong shape/);
  const badLength = Buffer.from(bytes);
  badLength.writeUInt32LE(bytes.length, 0);
  assert.match(String(decodeRuleSet(badLength)), /wrong shape/);
});

test('a long source (stored deflated) comes back whole', () => {
  const rs = rulesFrom(CF);
  const rule = rs.compiled.rules.find((r) => r.name === 'BODY_PLAIN')!;
  const long = new RegExp(Array.from({ length: 800 }, (_, i) => `word${i}x`).join('|'), 'i');
  assert.ok(long.source.length > 4096);
  (rule.test as { re: RegExp }).re = long;
  const bytes = encodeRuleSet(rs);
  assert.ok(bytes.length < encodeRuleSet(rulesFrom(CF)).length + long.source.length / 2, 'stored smaller than the source');
  const back = decodeRuleSet(bytes);
  assert.ok(typeof back !== 'string', String(back));
  const now = back.compiled.rules.find((r) => r.name === 'BODY_PLAIN')!;
  assert.equal(regexOf(now)!.source, long.source);
  assert.equal(asciiOfTest(now.test as { re: RegExp })?.source, asciiOfTest(rule.test as { re: RegExp })?.source);
});
