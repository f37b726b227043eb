import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runEval } from '../helpers/eval-context';

/** A message from header lines and a body (LF ends, latin1 bytes). */
const msg = (headers: string[], body = 'body\n'): string => headers.map((h) => `${h}\n`).join('') + `\n${body}`;
const htmlMsg = (html: string): string => msg(['From: a@example.org', 'Content-Type: text/html'], html);
const withAttachment = (name: string, type: string, content: string): string =>
  msg(
    ['From: a@example.org', 'Content-Type: multipart/mixed; boundary="b"'],
    `--b\nContent-Type: text/plain\n\nsee attached\n--b\nContent-Type: ${type}; name="${name}"\nContent-Disposition: attachment; filename="${name}"\n\n${content}\n--b--\n`,
  );

test('check_from_brand_mismatch', () => {
  const cases: Array<[string, string, boolean]> = [
    ['PayPal on a foreign domain', 'From: PayPal <service@alerts.example.com>', true],
    ['PayPal on its own domain', 'From: PayPal <service@paypal.com>', false],
    ['PayPal on a national domain', 'From: PayPal <service@paypal.de>', false],
    ['Microsoft via outlook.com', 'From: Microsoft account team <account-security-noreply@accountprotection.microsoft.com>', false],
    ['Office 365 on a foreign domain', 'From: "Office 365 Admin" <admin@mailer.example.net>', true],
    ['DHL written in capitals only', 'From: DHL Express <noreply@parcel-notice.example.com>', true],
    ['dhl as part of a word is no brand', 'From: Adhlam Smith <a@example.com>', false],
    ['Apple ID', 'From: Apple ID <id@example.org>', true],
    ['just "Apple"', 'From: Apple <no_reply@email.example.org>', true],
    ['Google Groups digest', 'From: Bob via Google Groups <group@googlegroups.com>', false],
    ['The UPS Store', 'From: The UPS Store <store@theupsstore.com>', false],
    ['a plain apple', 'From: Apple Farm Shop <shop@example.org>', false],
    ['no display name', 'From: service@example.com', false],
  ];
  for (const [label, from, want] of cases) assert.equal(runEval('check_from_brand_mismatch', msg([from])), want, label);
});

test('check_link_text_domain_mismatch', () => {
  const a = (href: string, text: string) => htmlMsg(`<a href="${href}">${text}</a>`);
  const cases: Array<[string, string, string | undefined, boolean]> = [
    ['text names another host', a('http://track.example.net/r', 'www.example.org'), undefined, true],
    ['same registrable domain', a('http://mail.example.org/x', 'www.example.org/x'), undefined, false],
    ['text is not a host', a('http://www.example.net/', 'click here'), undefined, false],
    ['a name with a dot', a('http://www.example.net/', 'Mr.Smith'), undefined, false],
    ['brand mode: brand host shown', a('http://login.example.net/', 'https://www.paypal.com/'), 'brand', true],
    ['brand mode: other host shown', a('http://track.example.net/r', 'www.example.org'), 'brand', false],
    ['brand mode: brand link to brand', a('https://www.paypal.com/x', 'www.paypal.com'), 'brand', false],
  ];
  for (const [label, raw, arg, want] of cases) assert.equal(runEval('check_link_text_domain_mismatch', raw, arg ? [arg] : []), want, label);
  assert.equal(runEval('check_link_text_domain_mismatch', msg(['From: a@example.org'], 'www.example.org\n')), false, 'plain text has no anchors');
});

test('check_html_attachment', () => {
  const form = '<html><form action="https://x.example.com/"><input type="password" name="p"></form></html>';
  const cases: Array<[string, string, string | undefined, boolean]> = [
    ['html file attached', withAttachment('doc.html', 'text/html', '<p>hi</p>'), undefined, true],
    ['.htm name under another type', withAttachment('scan.htm', 'application/octet-stream', '<p>hi</p>'), undefined, true],
    ['pdf attached', withAttachment('doc.pdf', 'application/pdf', 'JVBERi0='), undefined, false],
    ['inline html body is no attachment', htmlMsg('<p>hi</p>'), undefined, false],
    ['form mode: password form', withAttachment('Voicemail.html', 'text/html', form), 'form', true],
    ['form mode: redirect script', withAttachment('a.html', 'text/html', '<script>window.location.href="https://x.example.com"</script>'), 'form', true],
    ['form mode: harmless page', withAttachment('a.html', 'text/html', '<p>hi</p>'), 'form', false],
  ];
  for (const [label, raw, arg, want] of cases) assert.equal(runEval('check_html_attachment', raw, arg ? [arg] : []), want, label);
});

test('check_replyto_other_domain', () => {
  const cases: Array<[string, string[], boolean]> = [
    ['reply-to elsewhere', ['From: a@example.org', 'Reply-To: b@example.com'], true],
    ['same registrable domain', ['From: a@mail.example.org', 'Reply-To: b@example.org'], false],
    ['mailing list', ['From: a@example.org', 'Reply-To: list@example.com', 'List-Id: <list.example.com>'], false],
    ['precedence list', ['From: a@example.org', 'Reply-To: list@example.com', 'Precedence: list'], false],
    ['no reply-to', ['From: a@example.org'], false],
  ];
  for (const [label, headers, want] of cases) assert.equal(runEval('check_replyto_other_domain', msg(headers)), want, label);
});

test('check_from_name_addr_mismatch', () => {
  const cases: Array<[string, string, boolean]> = [
    ['address of another domain in the name', 'From: "support@paypal.com" <x@example.ru>', true],
    ['a domain in the name', 'From: "www.bank.example.com" <x@example.ru>', true],
    ['the same address', 'From: "alice@example.org" <alice@example.org>', false],
    ['same registrable domain', 'From: "news@example.org" <bounce@mail.example.org>', false],
    ['ordinary name', 'From: Alice Example <alice@example.org>', false],
  ];
  for (const [label, from, want] of cases) assert.equal(runEval('check_from_name_addr_mismatch', msg([from])), want, label);
});
