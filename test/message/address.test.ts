import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAddressList } from '../../src/message/address';

test('address lists parse into address and display name', () => {
  const cases: Array<[string, Array<[string | undefined, string | undefined]>]> = [
    ['"Start Now" <startnow2002@hotmail.com>', [['startnow2002@hotmail.com', 'Start Now']]],
    ['Joe Bloggs <joe@example.com>, jane@example.org (Jane D)', [['joe@example.com', 'Joe Bloggs'], ['jane@example.org', 'Jane D']]],
    ['<bare@example.com>', [['bare@example.com', undefined]]],
    ['plain@example.com', [['plain@example.com', undefined]]],
    ['undisclosed-recipients: ;', []],
    ['team: a@x.org, b@y.org;', [['a@x.org', undefined], ['b@y.org', undefined]]],
    ['"Doe, John" <john@doe.net>', [['john@doe.net', 'Doe, John']]],
    ['"a@b.com" <a@b.com>', [['a@b.com', undefined]]],
    ['"PayPal Security" <alerts@evil.example>', [['alerts@evil.example', 'PayPal Security']]],
    ['Name Only', [[undefined, 'Name Only']]],
  ];
  for (const [input, want] of cases) {
    assert.deepEqual(parseAddressList(input).map((a) => [a.address, a.phrase]), want, input);
  }
});

test('address shapes as SpamAssassin reads them (corpus spam-2/00135, 00080, 00208, spam-1/00319)', () => {
  const cases: Array<[string, Array<string | undefined>]> = [
    // junk after a complete address inside <> is dropped
    ['<zvfjenphuq@[1086695621] [ufa]>', ['zvfjenphuq@[1086695621]']],
    ['<a@b.example c>', ['a@b.example']],
    // brackets are not allowed in a plain local part: a phrase, not an address
    ['zvfjenphuq@[1086695621], [ufa]@netnoteinc.com', ['zvfjenphuq@[1086695621]', undefined]],
    // a second @ ends the address
    ['ndtuftrzzsglsvnz@uksyz@21cn.com', ['ndtuftrzzsglsvnz@uksyz']],
    // quoted local parts may hold @ (then the cut at the second @ applies too)
    ['"salestoner@bol.com.br"@dogma.slashnull.org', ['"salestoner@bol.com.br"']],
    ['<"Books@Books"@BlackRealityPublishing.com>', ['"Books@Books"']],
    // a space inside the local part is no address
    ['<a b@c.example>', []],
  ];
  for (const [input, want] of cases) {
    assert.deepEqual(parseAddressList(input).map((a) => a.address), want, input);
  }
});
