/** The whole public corpus parses, and concrete facts hold on a sample. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseMessage } from '../../src/message/parse';
import { headerText, parseHeaderRequest, type HeaderRequest } from '../../src/message/header-access';
import { CORPUS_GROUPS, corpusFiles, corpusMessage } from '../helpers/corpus';

const req = (s: string) => parseHeaderRequest(s) as HeaderRequest;

test('all 6,046 corpus messages parse without an exception', () => {
  let n = 0;
  const failures: string[] = [];
  for (const group of CORPUS_GROUPS) {
    for (const file of corpusFiles(group)) {
      n++;
      try {
        const m = parseMessage(readFileSync(file));
        for (const h of m.headers) void h.value;
        void m.bodyText;
        void m.rawBodyText;
        void m.uris;
        void m.relays;
      } catch (e) {
        failures.push(`${file}: ${(e as Error).message}`);
      }
    }
  }
  assert.equal(n, 6046);
  assert.deepEqual(failures, []);
});

test('header forms: :addr, :name, ToCc, MESSAGEID, ALL, :raw', () => {
  const m = parseMessage(corpusMessage('spam-2', '00001'));
  assert.equal(headerText(m, req('From:addr')), 'startnow2002@hotmail.com');
  assert.equal(headerText(m, req('From:name')), 'Start Now');
  assert.equal(headerText(m, req('ToCc')), 'ilug@linux.ie\n');
  assert.equal(headerText(m, req('MESSAGEID')), '<1028311679.886@0.57.142>\n');
  assert.equal(headerText(m, req('Subject')), '[ILUG] STOP THE MLM INSANITY\n');
  assert.equal(headerText(m, req('Subject:raw')), ' [ILUG] STOP THE MLM INSANITY\n');
  assert.equal(headerText(m, req('X-No-Such-Header')), undefined);
  const all = headerText(m, req('ALL'))!;
  assert.match(all, /^Return-Path: <ilug-admin@linux\.ie>\n/);
  assert.match(all, /\nSubject: \[ILUG\] STOP THE MLM INSANITY\n/);
  assert.equal(m.mboxFrom, 'From ilug-admin@linux.ie  Tue Aug  6 11:51:02 2002');
});

test('rendered text of an HTML-only spam', () => {
  // spam-2/00004 is a text/html-only message
  const m = parseMessage(corpusMessage('spam-2', '00004'));
  assert.equal(m.root.type, 'text/html');
  const text = m.bodyText.join('');
  assert.ok(!/<[a-z]+[ >]/i.test(text), 'no tags left in the rendered text');
  assert.match(text, /LOSE 30 POUNDS IN 30 DAYS\.\.\. GUARANTEED!!!/);
  assert.match(text, /Why Use Our Amazing Weight Loss Capsules\?/);
  assert.match(text, /They act like a natural magnet to attract fat\./);
  assert.ok(m.htmlParts.length === 1);
  assert.ok(m.uris.length > 0);
});
