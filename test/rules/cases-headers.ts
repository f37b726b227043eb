/** Cases for the header, subject and sender rules (20_header_forgery.cf, 22_subject.cf, 24_sender.cf). */
import { corpusMessage } from '../helpers/corpus';
import type { RuleCases } from './rule-tester';

const corpus = (group: 'spam-1', id: string): string => corpusMessage(group, id).toString('latin1');

const h = (headers: Record<string, string | null>, text?: string) => ({ headers, text });
const subj = (s: string) => h({ Subject: s });
/** A two-part message whose boundary is `b`. */
const mime = (b: string) => h({ 'Content-Type': `multipart/mixed; boundary="${b}"` }, `--${b}\nContent-Type: text/plain\n\nhi\n--${b}--\n`);
const rcvd = (from: string, date = 'Tue, 3 Sep 2002 10:00:05 +0100') => `from ${from} by mx.example.net (Postfix) with ESMTP id 4A1B2C3D4E; ${date}`;

export const headerCases: Record<string, RuleCases> = {
  HL_MSGID_MISSING: { hit: [h({ 'Message-ID': null })], miss: [{}] },
  HL_MSGID_NO_AT: { hit: [h({ 'Message-ID': '<20020903100000.GA1234>' })], miss: [{}] },
  HL_MSGID_NO_BRACKETS: { hit: [h({ 'Message-ID': '20020903.GA1234@mail.example.org' })], miss: [{}] },
  HL_MSGID_STAMP_HEX16: {
    hit: [h({ 'Message-ID': '<20240623225456.F0CA1F653F1B8D9A@mail.example.org>' })],
    // Postfix and sendmail put their queue id after the time stamp.
    miss: [{}, h({ 'Message-ID': '<20020823091443.0BC3770047@relay.example.net>' }), h({ 'Message-ID': '<200210080800.g9880UK06069@mail.example.org>' })],
  },
  HL_MSGID_FAKE_GMAIL: {
    hit: [h({ 'Message-ID': '<c8d5d2621172459219de3c18d68bc246@mail.gmail.com>' })],
    miss: [{}, h({ 'Message-ID': '<CAKf3yZ5nE8x+Qm0pQ=tQd4uWx7-Lp1Xb2@mail.gmail.com>' }), h({ 'Message-ID': '<c8d5d2621172459219de3c18d68bc246@example.org>' })],
  },
  HL_MSGID_SPACES: { hit: [h({ 'Message-ID': '<2002 0903@mail.example.org>' })], miss: [{}] },
  HL_FORGED_OUTLOOK_ID: {
    hit: [h({ 'Message-ID': '<000001c2a1b2$12345678$0100a8c0@pc>', 'X-Mailer': 'Microsoft Outlook Express 6.00.2600.0000' })],
    miss: [{}],
  },
  HL_DATE_MISSING: { hit: [h({ Date: null })], miss: [{}] },
  HL_DATE_NO_ZONE: { hit: [h({ Date: 'Tue, 3 Sep 2002 10:00:00' })], miss: [{}] },
  HL_DATE_BAD_ZONE: { hit: [h({ Date: 'Tue, 3 Sep 2002 10:00:00 -1900' })], miss: [{}, h({ Date: 'Tue, 3 Sep 2002 10:00:00 +1200' })] },
  HL_DATE_TWO_DIGIT_YEAR: { hit: [h({ Date: 'Tue, 3 Sep 02 10:00:00 +0100' })], miss: [{}] },
  HL_DATE_FUTURE: { hit: [h({ Date: 'Fri, 6 Sep 2002 10:00:00 +0100' })], miss: [{}] },
  HL_DATE_PAST: { hit: [h({ Date: 'Sat, 10 Aug 2002 10:00:00 +0100' })], miss: [{}] },
  HL_FROM_NUMERIC_LOCAL: { hit: [h({ From: '<4402918@example.org>' })], miss: [{}] },
  HL_FROM_WORD_DIGITS: { hit: [h({ From: 'deals <promo84213@example.org>' })], miss: [{}] },
  HL_FROM_NO_ADDRESS: { hit: [h({ From: 'Special Offers' })], miss: [{}] },
  HL_FROM_NAME_HAS_ADDR: { hit: [h({ From: '"service@paypal.com" <x@example.org>' })], miss: [{}] },
  HL_FROM_NAME_ROLE: { hit: [h({ From: 'Account Security <alerts@example.org>' })], miss: [{}] },
  HL_TO_MISSING: { hit: [h({ To: null })], miss: [{}] },
  HL_TO_UNDISCLOSED: { hit: [h({ To: 'Undisclosed-Recipient:;' })], miss: [{}] },
  HL_TO_IN_SUBJECT: { hit: [h({ To: 'bob@example.net', Subject: 'bob, your account' })], miss: [{}] },
  HL_RECIPS_SORTED: {
    hit: [h({ To: 'aaron@example.net, abel@example.net, adam@example.net, alan@example.net, albert@example.net, alex@example.net, alfred@example.net, allen@example.net' })],
    miss: [{}],
  },
  HL_RECIPS_SIMILAR: {
    hit: [h({ To: 'jsmith1@example.net, jsmith2@example.net, jsmith3@example.net, jsmith4@example.net, jsmith5@example.net, jsmith6@example.net, jsmith7@example.net, jsmith8@example.net' })],
    miss: [{}],
  },
  HL_MAILER_BULK: { hit: [h({ 'X-Mailer': 'Group Mail Pro 4.1' })], miss: [{}, h({ 'X-Mailer': 'Mutt 1.4i' })] },
  HL_MAILER_PHP: { hit: [h({ 'X-Mailer': 'PHP/4.2.2' })], miss: [{}] },
  HL_PHP_SCRIPT_HDR: { hit: [h({ 'X-PHP-Originating-Script': '33:mailer.php' })], miss: [{}] },
  HL_PRIORITY_HIGH: { hit: [h({ 'X-Priority': '1 (Highest)' })], miss: [{}, h({ 'X-Priority': '3' })] },
  HL_MSMAIL_PRIORITY: { hit: [h({ 'X-MSMail-Priority': 'High' })], miss: [{}] },
  HL_MIME_MISSING_VER: { hit: [h({ 'MIME-Version': null, 'Content-Type': 'text/html' })], miss: [{}] },
  HL_FORGED_HOTMAIL: {
    hit: [h({ From: 'Jo <jo@hotmail.com>', Received: rcvd('unknown (HELO hotmail.com) ([203.0.113.9])') })],
    miss: [{}],
  },
  HL_FORGED_YAHOO: {
    hit: [h({ From: 'Jo <jo@yahoo.com>', Received: rcvd('unknown (HELO yahoo.com) ([203.0.113.9])') })],
    miss: [{}],
  },
  HL_FORGED_GMAIL: {
    hit: [h({ From: 'Jo <jo@gmail.com>', Received: rcvd('unknown (HELO gmail.com) ([203.0.113.9])') })],
    miss: [{}],
  },
  // Received-chain checks need a real relay trail; these use corpus messages that show one.
  HL_FORGED_RCVD_TRAIL: { hit: [corpus('spam-1', '00033')], miss: [{}] },
  HL_HELO_NUMERIC: { hit: [h({ Received: rcvd('203.0.113.9 ([203.0.113.9])') })], miss: [{}] },
  HL_SENDER_NO_RDNS: { hit: [corpus('spam-1', '00004')], miss: [] },
  HL_MIME_FAKE_NEXTPART: {
    hit: [mime('----=_NextPart_QXVROEFEFX'), mime('----_NextPart_3402248108')],
    miss: [{}, mime('----=_NextPart_000_0037_01C24D21.FF37C620'), mime('=_NextPart_Caramail_0116921030135594_ID')],
  },
  HL_MAILER_HOSTNAME: { hit: [h({ 'X-Mailer': 'mail.example-shop.com' })], miss: [{}, h({ 'X-Mailer': 'Microsoft Outlook 16.0' }), h({ 'X-Mailer': 'Mail.app (2.1)' })] },
  HL_MAILER_WORD_DIGIT: {
    hit: [h({ 'X-Mailer': 'Qgeszx 8' }), h({ 'X-Mailer': 'pmItkCaLj 3' })],
    miss: [{}, h({ 'X-Mailer': 'Juno 4.0.5' }), h({ 'X-Mailer': 'PHPMailer 5.2.4' }), h({ 'X-Mailer': 'Microsoft Outlook 16.0' })],
  },
  HL_MAILER_OE_SUFFIX: {
    hit: [h({ 'X-Mailer': 'Microsoft Outlook Express 5.00.2919.6900 DM' }), h({ 'X-Mailer': 'Microsoft Outlook Express 5.00.2919.7000 Demo' })],
    miss: [{}, h({ 'X-Mailer': 'Microsoft Outlook Express 6.00.2800.1106' }), h({ 'X-Mailer': 'Microsoft Outlook Express Macintosh Edition - 5.01 (1630)' })],
  },
  HL_MAILER_NO_VERSION: {
    hit: [h({ 'X-Mailer': 'Microsoft Outlook Express' }), h({ 'X-Mailer': 'Internet Mail Service' })],
    miss: [{}, h({ 'X-Mailer': 'Internet Mail Service (5.5.2653.19)' }), h({ 'X-Mailer': 'Microsoft Outlook 16.0' })],
  },
  HL_MIME_XX_BOUNDARY: { hit: [mime('XX4E5F4E43-0C5F4E5FXX')], miss: [{}, mime('----=_NextPart_000_0037_01C24D21.5A1B2C30')] },
  HL_CT_MALFORMED: {
    hit: [h({ 'Content-Type': 'text/plain;;;;;;;;' }), h({ 'Content-Type': 'text/plain; charset="DEFAULT"' })],
    miss: [{}, h({ 'Content-Type': 'text/plain; charset="us-ascii"' }), h({ 'Content-Type': 'text/plain; charset=default-8bit-latin' })],
  },
  HL_MAILER_RANDOM: { hit: [h({ 'X-Mailer': 'ArHA8IFlSSFNGzAMo' })], miss: [{}, h({ 'X-Mailer': 'Microsoft Outlook Express 6.00.2600.0000' }), h({ 'X-Mailer': 'QUALCOMM Windows Eudora Version 5.1' })] },
  HL_MSGID_FROM_BORDER: {
    hit: [h({ Received: rcvd('ejhvvet ([203.0.113.45])').replace('id 4A1B2C3D4E', 'id g7NIh1Z03950'), 'Message-ID': '<200208231843.g7NIh1Z03950@mx.example.net>' })],
    miss: [{}, h({ Received: rcvd('ejhvvet ([203.0.113.45])').replace('id 4A1B2C3D4E', 'id g7NIh1Z03950') })],
  },
  HL_RDNS_DYNAMIC: {
    hit: [h({ Received: rcvd('proton.example.com (adsl-203-0-113-45.dsl.example.net [203.0.113.45])') })],
    miss: [{}, h({ Received: rcvd('a8-57.smtp-out.example.com (a8-57.smtp-out.example.com [54.240.8.57])') })],
  },
  HL_DYNAMIC_BAD_HELO: {
    hit: [h({ Received: rcvd('ejhvvet (adsl-203-0-113-45.dsl.example.net [203.0.113.45])') }), h({ Received: rcvd('boston ([203.0.113.45])') })],
    miss: [{}, h({ Received: rcvd('proton.example.com (adsl-203-0-113-45.dsl.example.net [203.0.113.45])') })],
  },
  HL_HELO_FAKE_PROVIDER: {
    hit: [h({ Received: rcvd('hotmail.com (adsl-203-0-113-45.dsl.example.net [203.0.113.45])') })],
    miss: [{}, h({ Received: rcvd('mail-wm1-f52.google.com (mail-wm1-f52.google.com [209.85.128.52])') })],
  },

  HL_SUBJ_ALL_CAPS: { hit: [subj('BUY CHEAP STUFF TODAY')], miss: [{}] },
  HL_SUBJ_EXCLAIM: { hit: [subj('Act now!!')], miss: [{}, subj('Thanks!')] },
  HL_SUBJ_DOLLARS: { hit: [subj('Earn $500 a week')], miss: [{}] },
  HL_SUBJ_FREE: { hit: [subj('Your free gift')], miss: [{}, subj('Freedom of speech')] },
  HL_SUBJ_PERCENT_OFF: { hit: [subj('Printer ink 70% off')], miss: [{}] },
  HL_SUBJ_ADV: { hit: [subj('ADV: Low rates')], miss: [{}, subj('Advice needed')] },
  HL_SUBJ_CLOCK: {
    hit: [subj('This one will make you money  9/20/02 11:34:52 PM'), subj('Collect Your Money! Time:1:30:33 AM')],
    miss: [{}, subj('Meeting moved to 10:30'), subj('Release 2.10.3 is out')],
  },
  HL_SUBJ_TRAIL_TAG: { hit: [subj('Your rates are here          ab392')], miss: [{}, subj('Release 2.1')] },
  HL_SUBJ_MONEY: { hit: [subj('Get out of debt')], miss: [{}] },
  HL_SUBJ_GUARANTEE: { hit: [subj('Guaranteed results')], miss: [{}] },
  HL_SUBJ_URGENT: { hit: [subj('Action required: mailbox')], miss: [{}] },
  HL_SUBJ_ACCOUNT_ALERT: { hit: [subj('Your account has been suspended')], miss: [{}, subj('Account of the meeting')] },
  HL_SUBJ_INVOICE: { hit: [subj('Invoice 20931 from Acme')], miss: [{}] },
  HL_SUBJ_VOICEMAIL: { hit: [subj('New voicemail from +1 555 0100')], miss: [{}] },
  HL_SUBJ_DELIVERY: { hit: [subj('Your package delivery failed')], miss: [{}] },
  HL_SUBJ_WINNER: { hit: [subj('Congratulations, you have won')], miss: [{}] },
  HL_SUBJ_PHARMA: { hit: [subj('cheap pills online')], miss: [{}] },
  HL_SUBJ_CRYPTO: { hit: [subj('Your bitcoin wallet')], miss: [{}] },
  HL_SUBJ_FAKE_REPLY: { hit: [subj('Re: your request')], miss: [{}, h({ Subject: 'Re: lunch', 'In-Reply-To': '<a@example.org>' })] },
  HL_SUBJ_8BIT_JUNK: { hit: [subj('\xb9\xe2\xb0\xed \xc1\xa4\xba\xb8')], miss: [{}] },
  HL_SUBJ_MISSING: { hit: [h({ Subject: null })], miss: [{}] },

  HL_FROM_FREEMAIL: { hit: [h({ From: 'Jo <jo.smith@yahoo.com>' })], miss: [{}] },
  HL_REPLYTO_FREEMAIL: { hit: [h({ 'Reply-To': 'jo.smith@gmail.com' })], miss: [{}] },
  HL_FREEMAIL_REPLY_DIFF: { hit: [h({ From: 'Jo <jo.smith@yahoo.com>', 'Reply-To': 'barrister.k@hotmail.com' })], miss: [{}, h({ From: 'jo@yahoo.com', 'Reply-To': 'jo@yahoo.com' })] },
  HL_REPLYTO_OTHER_DOMAIN: {
    hit: [h({ 'Reply-To': 'accounts@example.com' })],
    miss: [{}, h({ 'Reply-To': 'list@lists.example.com', 'List-Id': '<list.example.com>' })],
  },
  HL_REPLYTO_REDIRECT: { hit: [h({ From: 'CEO <ceo@example.org>', 'Reply-To': 'ceo.office@gmail.com' })], miss: [{}, h({ From: 'jo@yahoo.com', 'Reply-To': 'jo2@gmail.com' })] },
  HL_FROM_BRAND_MISMATCH: {
    hit: [h({ From: 'PayPal Service <service@secure-mail.example.com>' }), h({ From: '"Microsoft Office 365" <noreply@example.org>' })],
    miss: [{}, h({ From: 'PayPal <service@paypal.com>' }), h({ From: 'Amazon.com <store-news@amazon.co.uk>' })],
  },
  HL_FROM_LOOKALIKE: { hit: [h({ From: 'Support <support@paypa1.com>' }), h({ From: 'x <x@rnicrosoft-support.com>' })], miss: [{}, h({ From: 'x <x@paypal.com>' })] },
  HL_FROM_BRAND_EMBED: { hit: [h({ From: 'Support <support@paypal-secure.com>' }), h({ From: 'x <x@appleid-verify.net>' })], miss: [{}, h({ From: 'x <x@pineapple.com>' })] },
  HL_FROM_BRAND_SUBDOMAIN: { hit: [h({ From: 'x <x@paypal.com.account-check.ru>' })], miss: [{}, h({ From: 'x <x@mail.paypal.com>' })] },
  HL_FROM_NAME_OTHER_ADDR: { hit: [h({ From: '"service@paypal.com" <x@example.ru>' })], miss: [{}, h({ From: '"alice@example.org" <alice@example.org>' })] },
  HL_SENDER_ABUSED_TLD: {
    hit: [h({ From: 'Steve <steve@samnrea.cf>' }), h({ 'Reply-To': 'jonathan@bdqb.xyz' })],
    miss: [{}, h({ From: 'News <news@example.club>' }), h({ From: 'Shop <orders@topshop.example.com>' })],
  },
  HL_FROM_ONMICROSOFT: { hit: [h({ From: 'Billing <billing@contoso4411.onmicrosoft.com>' })], miss: [{}] },
  HL_FROM_PUNYCODE: { hit: [h({ From: 'x <x@xn--pypal-4ve.com>' })], miss: [{}] },
};
