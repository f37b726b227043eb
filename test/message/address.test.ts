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
