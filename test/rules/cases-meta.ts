/** Cases for the combination rules (70_meta.cf): each hit message shows the signs the meta needs. */
import type { RuleCases } from './rule-tester';

const t = (text: string, headers: Record<string, string | null> = {}) => ({ headers, text: `Hello,\n\n${text}\n` });
const linkMail = (href: string, text: string, headers: Record<string, string | null> = {}) => ({
  headers,
  text: `Hello,\n\n${text}\n\n${href}\n`,
});

export const metaCases: Record<string, RuleCases> = {
  HL_MIME_MISSING_VER: { hit: [{ headers: { 'MIME-Version': null }, html: '<p>hi</p>' }], miss: [{}] },
  HL_PHISH_CRED_PRESSURE: { hit: [t('Your account has been suspended. Respond within 24 hours.')], miss: [{}, t('Respond within 24 hours.')] },
  HL_PHISH_CRED_LINK: { hit: [linkMail('http://203.0.113.5/login', 'Please verify your account.')], miss: [{}, t('Please verify your account.')] },
  HL_PHISH_FAKE_SENDER: {
    hit: [t('Please verify your account.', { From: 'PayPal <service@notify.example.com>' })],
    miss: [{}, t('Please verify your account.', { From: 'PayPal <service@paypal.com>' })],
  },
  HL_PHISH_FAKE_LINK_LURE: { hit: [linkMail('https://bit.ly/3xYzAbc', 'Your PayPal access: respond within 24 hours.')], miss: [{}] },
  HL_PHISH_MANY_SIGNS: {
    hit: [t('Dear customer, your account has been suspended due to unusual activity. Click the link below to verify your identity within 24 hours.')],
    miss: [{}],
  },
  HL_PHISH_HTML_ATTACH: {
    hit: [
      {
        headers: { Subject: 'Invoice 4410' },
        parts: ['Content-Type: text/html; name="Invoice.html"\nContent-Disposition: attachment; filename="Invoice.html"\n\n<form action="https://x.example.com/"><input type="password"></form>'],
      },
    ],
    miss: [{}],
  },
  HL_PHISH_PASSWORD_FORM: { hit: [{ html: '<form action="https://collect.example.com/p.php"><input type="password" name="p"></form>' }], miss: [{}] },
  HL_PHISH_LOOKALIKE_BRAND: { hit: [linkMail('https://www.paypa1.com/', 'Your PayPal statement.')], miss: [{}] },
  HL_PHISH_QR: { hit: [t('Your password will expire. Scan the QR code with your phone.')], miss: [{}, t('Scan the QR code with your phone.')] },
  HL_PHISH_VOICEMAIL: { hit: [linkMail('https://bit.ly/3vm', 'You have a new voicemail. Click to listen.')], miss: [{}] },
  HL_PHISH_DELIVERY: { hit: [linkMail('https://dhl-redelivery.example.top/x', 'Your parcel could not be delivered.')], miss: [{}] },
  HL_PHISH_DOC_LINK: { hit: [linkMail('https://x.000webhostapp.com/doc', 'Anna shared a document with you.')], miss: [{}] },
  HL_PHISH_REPLY_AWAY: {
    hit: [t('Our bank details have changed.', { From: 'Accounts <accounts@example.org>', 'Reply-To': 'accounts.dept@gmail.com' })],
    miss: [{}],
  },
  HL_PROTECTED_ARCHIVE: {
    hit: [{ text: 'Documents attached. Password: 4471\n', parts: ['Content-Type: application/zip; name="docs.zip"\nContent-Disposition: attachment; filename="docs.zip"\n\nUEsDBA=='] }],
    miss: [{}, { text: 'Documents attached.\n', parts: ['Content-Type: application/zip; name="docs.zip"\nContent-Disposition: attachment; filename="docs.zip"\n\nUEsDBA=='] }],
  },
  HL_PHISH_SVG: {
    hit: [{ text: 'Anna shared a document with you.\n', parts: ['Content-Type: image/svg+xml; name="Payment.svg"\nContent-Disposition: attachment; filename="Payment.svg"\n\n<svg></svg>'] }],
    miss: [{}],
  },
  HL_BEC_GIFT_CARD: { hit: [t('Are you available now? Buy five Google Play cards and send me pictures of the codes.')], miss: [{}] },
  HL_BEC_BANK_CHANGE: { hit: [t('Our bank details have changed. The invoice is overdue, please see attached.')], miss: [{}] },
  HL_SEXTORTION: { hit: [t('I recorded you with your webcam. Pay to my bitcoin wallet bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh')], miss: [{}] },
  HL_CALLBACK_SCAM: { hit: [t('Your Norton 360 subscription has been renewed for $399. To cancel, call 1-800-555-0100.')], miss: [{}] },
  HL_CRYPTO_SCAM: { hit: [t('Bitcoin investment with guaranteed returns.', { Subject: 'crypto profits' })], miss: [{}] },
  HL_419_FRAUD: { hit: [t('My late husband left US$25.5 million with a security company.')], miss: [{}] },
  HL_419_FREEMAIL: { hit: [t('My late husband left funds with us.', { From: 'Mrs Jo <jo.b@yahoo.com>' })], miss: [{}] },
  HL_419_REPLY_AWAY: { hit: [t('My late husband left funds with us.', { From: 'Jo <jo.b@yahoo.com>', 'Reply-To': 'jo.b.private@hotmail.com' })], miss: [{}] },
  HL_LOTTERY_SCAM: { hit: [t('You have won the lottery.', { Subject: 'Winner notification' })], miss: [{}] },
  HL_JOB_SCAM: { hit: [t('Mystery shopper needed, earn $300 per day.')], miss: [{}] },
  HL_OFFERS_3: { hit: [t('Act now! Try it risk-free. There is no obligation.')], miss: [{}] },
  HL_OFFERS_5: { hit: [t('Act now! Try it risk-free. No obligation. It is 100% natural. Earn $250 per day.')], miss: [{}] },
  HL_OFFERS_8: {
    hit: [t('Act now! Try it risk-free. Request your free trial. No obligation. Save up to 60%. It is 100% natural. Earn $250 per day. Lose 10 lbs.')],
    miss: [{}],
  },
  HL_RATWARE_SIGNS: { hit: [t('hello', { 'Message-ID': null, Date: 'Tue, 3 Sep 2002 10:00:00 -1900', To: 'Undisclosed-Recipient:;' })], miss: [{}] },
  HL_SPAMMY_SUBJECT: { hit: [t('hello', { Subject: 'FREE CASH FOR YOU $500' })], miss: [{}] },
  HL_BULK_HTML_PITCH: { hit: [{ html: '<p>Act now! Try it risk-free.</p>' }], miss: [{}] },
  HL_HTML_TRICKS_PITCH: { hit: [{ html: '<p>Act now! Try it risk-free.</p><font color="#ffffff">hidden words for filters</font>', text: 'Act now' }], miss: [{}] },
  HL_JUNK_HDR_PITCH: { hit: [t('Act now! Try it risk-free.', { 'Message-ID': null, Date: 'Tue, 3 Sep 2002 10:00:00 -1900' })], miss: [{}] },
  HL_IMAGE_SPAM: { hit: [{ html: '<img src="http://img.example.com/offer.gif" width="500" height="400">' }], miss: [{}] },
  HL_PHARMA_SHOP: { hit: [t('Buy Viagra from our online pharmacy.')], miss: [{}] },
  HL_FAKE_REPLY_PITCH: { hit: [t('Act now! Try it risk-free.', { Subject: 'Re: your enquiry' })], miss: [{}] },
  HL_REMOVE_AND_PITCH: {
    hit: [t('This message is not spam. Act now! Try it risk-free. Request your free trial. To be removed from our list, reply with REMOVE in the subject.')],
    miss: [{}],
  },
  HL_HTML_BULK_REMOVE: { hit: [{ html: '<p>Great deals. To be removed from our list, reply with REMOVE in the subject.</p>' }], miss: [{}] },
  HL_MANY_SIGNS: {
    hit: [
      t('Act now! Try it risk-free. Request your free trial. No obligation. Save up to 60%. It is 100% natural.', {
        Subject: 'FREE OFFER $$$',
        'Message-ID': null,
      }),
    ],
    miss: [{}],
  },
  HL_FORGED_AND_PITCH: { hit: [t('Act now! Try it risk-free.', { Date: 'Tue, 3 Sep 2002 10:00:00 -1900' })], miss: [{}] },
};
