/** Cases for today's threats (55_today.cf): crafted messages of each kind, and the ordinary mail beside them. */
import type { RuleCases } from './rule-tester';

const t = (text: string, headers: Record<string, string | null> = {}) => ({ headers, text: `${text}\n` });
const toBob = { To: 'bob.jones@example.net' };
/** A raw message whose body is UTF-8 (the tester's messages are latin1 strings of the bytes). */
const utf8 = (text: string): string =>
  `From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: hello\nMessage-ID: <u8@example.org>\nDate: Tue, 3 Sep 2002 10:00:00 +0100\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n${Buffer.from(`${text}\n`, 'utf8').toString('latin1')}`;

export const todayCases: Record<string, RuleCases> = {
  HL_SUBJ_NAMES_RCPT: {
    hit: [
      t('Your password expires today.', { ...toBob, Subject: 'bob.jones@example.net: password expires today' }),
      t('Mail held.', { ...toBob, Subject: 'example.net Mail Delivery Suspended' }),
      t('Quota.', { ...toBob, Subject: 'bob.jones quota notice' }),
    ],
    miss: [{}, t('Hi', { ...toBob, Subject: '[bob.jones] weekly digest' }), t('Hi', { To: 'info@example.net', Subject: 'info about lunch' })],
  },
  HL_DEAR_MAILBOX: { hit: [t('Dear bob.jones@example.net,\nyour mailbox needs attention.')], miss: [{}, t('Dear Bob,\nsee you at lunch.')] },
  HL_HELD_MESSAGES: { hit: [t('You have (6) pending incoming messages on the server.'), t('There are 3 undelivered messages for you.')], miss: [{}, t('I have 3 messages to answer before lunch.')] },
  HL_SUBJ_MAIL_ADMIN: {
    hit: [t('x', { Subject: 'Mailbox storage is full' }), t('x', { Subject: 'You have 8 pending messages' })],
    miss: [{}, t('x', { Subject: 'Re: mail server migration plan' })],
  },
  HL_STORAGE_UPGRADE: { hit: [t('Click to upgrade your mailbox storage now.')], miss: [{}, t('We should upgrade the storage array next month.')] },
  HL_KEEP_SAME_PASSWORD: { hit: [t('Use the button below to keep your current password.')], miss: [{}, t('Please choose a new password.')] },
  HL_LOAN_OFFER: { hit: [t('Business loans approved within 24 hours, apply now.')], miss: [{}, t('I paid off the car loan last year.')] },
  HL_BIZ_LOAN_PROGRAM: { hit: [t('The SBA 7(a) programme is open again.'), t('EIDL funds are running low.')], miss: [{}] },
  HL_FUND_RELEASE: { hit: [t('Your compensation fund has been approved for release.'), t('An ATM card loaded with the sum of $2.5M is waiting.')], miss: [{}, t('The fund has a new manager.')] },
  HL_INVEST_PARTNER: { hit: [t('I wish to discuss an investment partnership in your country for our mutual benefit.'), t('We would like to invest in your company.')], miss: [{}] },
  HL_FACTORY_PITCH: {
    hit: [t('We are a leading manufacturer of precision springs in China.'), t('We offer CNC machining and die casting.')],
    miss: [{}, t('The manufacturer replaced the disk under warranty.')],
  },
  HL_DATA_LIST_SALE: { hit: [t('Would you be interested in acquiring the attendees list of the expo? Let me know for pricing.')], miss: [{}, t('The attendee list for the summit is on the wiki.')] },
  HL_SEO_PITCH: { hit: [t('We can get your site on the first page of Google.'), t('Our SEO services start at $99.')], miss: [{}] },
  HL_COLD_OPENER: { hit: [t('I hope this email finds you well. Allow me to introduce our company.')], miss: [{}] },
  HL_PRICE_LIST_ASK: { hit: [t('Kindly send us your latest price list.'), t('This is a request for quotation.')], miss: [{}, t('The price of the list went up.')] },
  HL_CN_INVOICE: { hit: [utf8('长期代开各地增值税发票，税点优惠。')], miss: [{}, utf8('我们明天开会讨论这个补丁。')] },
  HL_JA_ACCOUNT_LURE: { hit: [utf8('お客様のアカウントは一時的に停止されました。')], miss: [{}, utf8('明日の会議の資料を送ります。')] },
  HL_INTL_ACCT_LURE: { hit: [t('Sua conta de e-mail excedeu o limite de armazenamento.'), t('Ihr Konto wurde gesperrt.')], miss: [{}, t('Sua conta do almoço está paga.')] },
  HL_WEBMAIL_PHISH: {
    hit: [t('You have (6) pending incoming messages.', { ...toBob, Subject: 'example.net: messages held' })],
    miss: [{}, t('You have (6) pending incoming messages.')],
  },
  HL_COLD_B2B: {
    hit: [t('I hope this email finds you well. We are a professional manufacturer of forging parts for export.')],
    miss: [{}, t('I hope this email finds you well.')],
  },
};
