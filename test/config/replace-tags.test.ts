import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandReplaceTags } from '../../src/config/replace-tags';
import { newDraft } from '../../src/config/draft';

test('tags, pre/inter/post as ReplaceTags defines them', () => {
  const rt = newDraft().replace;
  rt.tags.set('A', '[a@]');
  rt.tags.set('B', '[b8]');
  rt.inter.set('W1', '\\W?');
  rt.post.set('P2', '{1,2}');
  assert.equal(expandReplaceTags('/<A><B>/i', rt).pattern, '/[a@][b8]/i');
  assert.equal(expandReplaceTags('/<inter W1><A><B>x<A>/', rt).pattern, '/[a@]\\W?[b8]x[a@]/');
  assert.equal(expandReplaceTags('/<post P2><A><B>/', rt).pattern, '/[a@]{1,2}[b8]{1,2}/');
  const u = expandReplaceTags('/<inter NOPE><A><Z>/', rt);
  assert.equal(u.pattern, '/[a@]<Z>/');
  assert.deepEqual(u.unknown, ['inter NOPE']);
  // Tag values may name other tags.
  rt.tags.set('AB', '(?:<A>|<B>)');
  assert.equal(expandReplaceTags('/x<AB>y/', rt).pattern, '/x(?:[a@]|[b8])y/');
});
