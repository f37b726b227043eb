/**
 * Golden scans of today's mail, crafted for these tests: phishing and fraud as
 * it arrives now must score as spam with the own rules alone (no Bayes, no
 * network), and the legitimate mail it imitates must not. The corpus is from
 * 2002; these cases are what keeps the modern rules honest.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanMail, type MailSpec } from './rule-tester';

const phish: Record<string, MailSpec> = {
  'Microsoft 365 password expiry': {
    headers: { From: '"Microsoft Office 365" <admin@secure-mailbox.example.com>', Subject: 'Action Required: Your password expires today' },
    html:
      '<p>Dear user,</p><p>Your password for bob@example.net will expire today. To keep your current password, use the button below.</p>' +
      '<p><a href="https://login-microsoftonline.example.xyz/?email=bob@example.net">Keep Same Password</a></p>' +
      '<p>Failure to do so will result in loss of access to your mailbox.</p><p>Microsoft Security Team</p>',
  },
  'PayPal look-alike domain': {
    headers: { From: 'PayPal <service@paypa1-support.com>', Subject: 'Your account has been limited' },
    text:
      'Hello,\n\nWe noticed unusual activity on your PayPal account. Your account has been limited until you confirm your identity.\n\n' +
      'Please confirm your identity within 48 hours: https://paypa1-support.com/resolution/\n\nPayPal\n',
  },
  'parcel customs fee': {
    headers: { From: 'DHL Express <noreply@track-parcel.example.com>', Subject: 'Your package delivery failed' },
    html:
      '<p>Your parcel could not be delivered due to an unpaid customs fee of 1.99 EUR.</p>' +
      '<p><a href="https://dhl-redelivery.example.top/pay">Reschedule delivery</a></p><p>Pay within 24 hours or the parcel is returned.</p>',
  },
  'gift-card request from a "CEO"': {
    headers: {
      From: 'John Carter <john.carter.ceo@gmail.com>',
      Subject: 'Quick request',
      Received: 'from mail-wr1-f54.google.com (mail-wr1-f54.google.com [209.85.221.54]) by mx.example.net (Postfix) with ESMTPS id 4A1B2C3D4E; Tue, 3 Sep 2002 10:00:05 +0100',
    },
    text:
      'Are you available? I need a quick favour.\n\nI need you to purchase 5 Apple gift cards of $100 each for a client. ' +
      'Scratch the back and send me pictures of the codes. Keep this confidential, I am in a meeting and can\'t talk.\n\nSent from my iPhone\n',
  },
  sextortion: {
    headers: { From: 'bob@example.net', Subject: 'Your device was hacked' },
    text:
      'Hello,\n\nI have hacked your device and recorded you while you were visiting adult websites. ' +
      'Send $1500 in bitcoin to this wallet: bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh\n\n' +
      'You have 48 hours. Otherwise I will send the video to all your contacts.\n',
  },
  'HTML attachment with a log-in form': {
    headers: { From: 'Accounts <accounts@supplier.example.com>', Subject: 'Remittance advice 4471' },
    text: 'Please find attached the remittance advice.\n',
    parts: [
      'Content-Type: text/html; name="Remittance_4471.html"\nContent-Disposition: attachment; filename="Remittance_4471.html"\n\n' +
        '<html><body><p>Sign in to view the document</p><form action="https://collect.example.ru/p.php"><input name="e"><input type="password" name="p"></form></body></html>',
    ],
  },
  'QR-code re-authentication': {
    headers: { From: 'IT Support <it-support@helpdesk-mail.example.net>', Subject: 'Action required: MFA re-authentication' },
    html:
      '<p>Scan the QR code below with your phone camera to re-authenticate your account within 24 hours.</p>' +
      '<img src="cid:qr.png" width="200" height="200"><p>Failure to comply will suspend your access.</p>',
  },
};

const ham: Record<string, MailSpec> = {
  'a real PayPal receipt': {
    headers: { From: 'PayPal <service@paypal.com>', Subject: 'Receipt for your payment to John Smith' },
    html: '<p>Hello Bob,</p><p>You sent a payment of $25.00 USD to John Smith.</p><p><a href="https://www.paypal.com/activity">View the transaction</a></p>',
  },
  'a real Microsoft sign-in alert': {
    headers: { From: 'Microsoft account team <account-security-noreply@accountprotection.microsoft.com>', Subject: 'Microsoft account unusual sign-in activity' },
    text:
      'We detected something unusual about a recent sign-in to the Microsoft account bo***@example.net.\n\n' +
      'If this was you, you can safely ignore this email. If not, review your recent activity at https://account.live.com/activity\n\nThanks,\nThe Microsoft account team\n',
  },
  'a colleague sends an invoice': {
    headers: { From: 'Carol <carol@example.org>', Subject: 'Invoice for September' },
    text: 'Hi Bob,\n\nplease find attached the invoice for September. Payment terms as usual, 30 days.\n\nThanks,\nCarol\n',
    parts: ['Content-Type: application/pdf; name="invoice-2002-09.pdf"\nContent-Disposition: attachment; filename="invoice-2002-09.pdf"\n\nJVBERi0xLjQK'],
  },
  'an IT maintenance notice': {
    headers: { From: 'IT Operations <it-ops@example.org>', Subject: 'Mail server maintenance on Saturday' },
    text: 'Hello all,\n\nthe mail server will be upgraded on Saturday between 8 and 10. No action is needed on your part.\n\nIT Operations\n',
  },
  'a newsletter with a short link': {
    headers: { From: 'Example Weekly <news@example.org>', Subject: 'This week: three new articles', 'List-Unsubscribe': '<mailto:leave@example.org>' },
    html: '<p>Three new articles this week.</p><p><a href="https://bit.ly/3xYzAbc">Read them here</a></p><p><a href="https://example.org/unsubscribe">Unsubscribe</a></p>',
  },
};

for (const [label, mail] of Object.entries(phish)) {
  test(`spam: ${label}`, () => {
    const r = scanMail(mail);
    assert.ok(r.isSpam, `${label} scored ${r.score.toFixed(1)}: ${r.tests.join(',')}`);
  });
}

for (const [label, mail] of Object.entries(ham)) {
  test(`ham: ${label}`, () => {
    const r = scanMail(mail);
    assert.ok(r.score < 3, `${label} scored ${r.score.toFixed(1)}: ${r.tests.join(',')}`);
  });
}
