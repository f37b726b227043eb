/** Cases for HTML/MIME (35_html_mime.cf), URI (40_uri.cf) and the link/attachment rules of 45_phishing.cf. */
import type { RuleCases } from './rule-tester';

const html = (body: string) => ({ html: `<html><body>${body}</body></html>` });
const link = (href: string, text = 'our site') => html(`<p>Please visit <a href="${href}">${text}</a> for the details of the meeting.</p>`);
const plain = (url: string) => ({ text: `Hi,\n\nthe notes are at ${url} as promised.\n` });
const attach = (name: string, type: string, body: string) => `Content-Type: ${type}; name="${name}"\nContent-Disposition: attachment; filename="${name}"\n\n${body}`;

const LONG_TEXT = 'The quarterly meeting moves to room four. Bring the minutes and the budget draft, we will go through both. ';

export const htmlMimeCases: Record<string, RuleCases> = {
  HL_HTML_ONLY: { hit: [html('<p>hello</p>')], miss: [{}, { text: 'hello', html: '<p>hello</p>' }] },
  HL_HTML_IMAGE_ONLY: { hit: [html('<img src="http://img.example.com/offer.gif" width="500" height="400">')], miss: [{}] },
  HL_HTML_IMAGE_FEWWORDS: { hit: [html(`<img src="http://img.example.com/offer.gif"><p>${LONG_TEXT.repeat(7)}</p>`)], miss: [{}] },
  HL_HTML_INVISIBLE: { hit: [html(`<p>visible</p><font color="#ffffff">hidden words for filters</font>`)], miss: [{}] },
  HL_HTML_BAD_COLOUR: { hit: [html('<font color="#zzzzzz">hello there</font>')], miss: [{}] },
  HL_HTML_DISPLAY_NONE: { hit: [html('<div style="display:none">secret</div><p>hi</p>')], miss: [{}] },
  HL_HTML_FONT_FACE_BAD: { hit: [html('<font face="$%#@!">hello</font>')], miss: [{}] },
  HL_HTML_FORM_MAILTO: { hit: [html('<form action="mailto:orders@example.com"><input name="x"></form>')], miss: [{}] },
  HL_HTML_EMBEDS: { hit: [html('<embed src="http://example.com/x.swf">hello')], miss: [{}] },
  HL_HTML_IFRAME: { hit: [html('<iframe src="http://example.com/"></iframe>hello')], miss: [{}] },
  HL_HTML_SCRIPT: { hit: [html('<script>var a = 1;</script>hello')], miss: [{}] },
  HL_HTML_FORM: { hit: [html('<form action="/x"><input name="q"></form>')], miss: [{}] },
  HL_HTML_TITLE_UNTITLED: { hit: [{ html: '<html><head><title>Untitled Document</title></head><body>hi</body></html>' }], miss: [{}] },
  HL_HTML_WEB_BUG: { hit: [html('<img src="http://t.example.com/o.gif" width="1" height="1">hi')], miss: [{}] },
  HL_MPART_ALT_DIFFER: {
    hit: [{ text: 'Please view this message in an HTML capable reader today.', html: '<p>Cheap watches shipped worldwide with discounts for members</p>' }],
    miss: [{}, { text: 'hello there friend', html: '<p>hello there friend</p>' }],
  },
  HL_MIME_BASE64_TEXT: { hit: [{ headers: { 'Content-Transfer-Encoding': 'base64' }, text: Buffer.from('Hello Bob, plain words in base64.\n').toString('base64') + '\n' }], miss: [{}] },
  HL_MIME_QP_LONG_LINE: { hit: [{ headers: { 'Content-Transfer-Encoding': 'quoted-printable' }, text: 'x'.repeat(120) + '=20\n' }], miss: [{}] },
  HL_MIME_ATTACHMENT: { hit: [{ parts: [attach('notes.pdf', 'application/pdf', 'JVBERi0=')] }], miss: [{}] },
  HL_BODY_SHORT: { hit: [{ text: 'ok\n' }], miss: [{ text: LONG_TEXT.repeat(4) }] },
  HL_ATTACH_EXECUTABLE: { hit: [{ parts: [attach('setup.exe', 'application/octet-stream', 'TVqQ')] }], miss: [{}, { parts: [attach('a.pdf', 'application/pdf', 'JVBERi0=')] }] },
  HL_ATTACH_DOUBLE_EXT: { hit: [{ parts: [attach('invoice.pdf.exe', 'application/octet-stream', 'TVqQ')] }], miss: [{}] },
  HL_ATTACH_ARCHIVE: { hit: [{ parts: [attach('files.zip', 'application/zip', 'UEsDBA==')] }], miss: [{}] },
  HL_ATTACH_SVG: { hit: [{ parts: [attach('Payment.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"></svg>')] }], miss: [{}] },
  HL_ARCHIVE_PASSWORD: { hit: [{ text: 'The archive password: 4471\n' }], miss: [{}, { text: 'I forgot my password again.\n' }] },
  HL_HTML_ATTACHMENT: { hit: [{ parts: [attach('Remittance.htm', 'text/html', '<html><body>hi</body></html>')] }], miss: [{}, html('<p>inline</p>')] },
  HL_HTML_ATTACH_FORM: {
    hit: [{ parts: [attach('Voicemail.html', 'text/html', '<html><body><form action="https://x.example.com/p"><input type="password" name="p"></form></body></html>')] }],
    miss: [{}, { parts: [attach('page.html', 'text/html', '<html><body>just a page</body></html>')] }],
  },
};

export const uriCases: Record<string, RuleCases> = {
  HL_URI_NUMERIC_IP: { hit: [plain('http://203.0.113.5/offer/')], miss: [{}, plain('http://www.example.com/')] },
  HL_URI_ENCODED_IP: { hit: [plain('http://3405803781/offer')], miss: [{}] },
  HL_URI_USERINFO: { hit: [plain('http://www.paypal.com@203.0.113.5/login')], miss: [{}] },
  HL_URI_HOST_ESCAPED: { hit: [plain('http://www.%65xample.com/')], miss: [{}] },
  HL_URI_SHORTENER: { hit: [plain('https://bit.ly/3xYzAbc')], miss: [{}, plain('https://www.example.com/bit.ly')] },
  HL_URI_FREE_HOSTING: { hit: [plain('https://secure-login.000webhostapp.com/index.php')], miss: [{}] },
  HL_URI_FORM_SERVICE: { hit: [plain('https://docs.google.com/forms/d/e/1FAIpQL/viewform')], miss: [{}] },
  HL_URI_IPFS: { hit: [plain('https://ipfs.io/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi')], miss: [{}] },
  HL_URI_EXECUTABLE: { hit: [plain('http://files.example.com/update/setup.exe')], miss: [{}] },
  HL_URI_LOGIN_PATH: { hit: [plain('https://www.example.com/account/login.php')], miss: [{}] },
  HL_URI_WP_CONTENT: { hit: [plain('http://www.example.com/wp-content/uploads/box/index.php')], miss: [{}] },
  HL_URI_ABUSED_TLD: { hit: [plain('https://verify-now.xyz/start')], miss: [{}] },
  HL_URI_DEEP_SUBDOMAINS: { hit: [plain('http://a.b.c.d.e.example.com/')], miss: [{}] },
  HL_URI_MANY_HYPHENS: { hit: [plain('http://secure-account-update-center.example.com/')], miss: [{}] },
  HL_URI_ODD_PORT: { hit: [plain('http://www.example.com:8081/x')], miss: [{}, plain('http://www.example.com:80/x')] },
  HL_URI_REDIRECT_PARAM: { hit: [plain('http://www.example.com/r?url=https://evil.example.net/')], miss: [{}] },
  HL_URI_PUNYCODE: { hit: [plain('https://xn--pypal-4ve.com/login')], miss: [{}] },
  HL_URI_EMAIL_IN_PATH: { hit: [plain('https://login.example.net/auth?user=bob@example.net')], miss: [{}] },
  HL_URI_MAILTO_REMOVE: { hit: [html('<a href="mailto:list@example.com?subject=remove">remove</a>')], miss: [{}] },
  HL_URI_REMOVE_SCRIPT: { hit: [plain('http://www.example.com/remove.cgi?id=5')], miss: [{}] },
  HL_URI_CGI_CLICK: { hit: [plain('http://www.example.com/click.php?id=5')], miss: [{}] },
  HL_URI_CLOUD_HTML: { hit: [plain('https://storage.googleapis.com/bucket-8812/index.html')], miss: [{}, plain('https://storage.googleapis.com/bucket/report.pdf')] },
  HL_PASSWORD_INPUT: { hit: [html('<form><input type="password" name="pw"></form>')], miss: [{}] },
  HL_FORM_POSTS_AWAY: { hit: [html('<form action="https://collect.example.com/post.php"><input name="a"></form>')], miss: [{}] },
  HL_DATA_URI_HTML: { hit: [html('<a href="data:text/html;base64,PGh0bWw+">open</a>')], miss: [{}] },
  HL_JS_REDIRECT: { hit: [html('<script>window.location.href = "https://x.example.com/";</script>')], miss: [{}] },
  HL_LINK_TEXT_MISMATCH: {
    hit: [link('http://track.example.net/x', 'www.example.org/account')],
    miss: [{}, link('http://www.example.org/account', 'www.example.org/account'), link('http://www.example.net/', 'Mr.Smith')],
  },
  HL_LINK_TEXT_BRAND: { hit: [link('http://login.example.net/pp', 'https://www.paypal.com/signin')], miss: [{}, link('https://www.paypal.com/x', 'https://www.paypal.com/signin')] },
  HL_HTTPS_TEXT_MISMATCH: { hit: [link('http://login.example.net/pp', 'https://www.paypal.com/')], miss: [{}] },
  HL_URI_LOOKALIKE: { hit: [plain('https://www.paypa1.com/login'), plain('http://arnazon-support.com/')], miss: [{}, plain('https://www.paypal.com/')] },
  HL_URI_BRAND_EMBED: { hit: [plain('https://paypal-resolution-center.com/')], miss: [{}, plain('https://www.pineapple.com/')] },
  HL_URI_BRAND_SUBDOMAIN: { hit: [plain('https://www.paypal.com.secure-check.example.ru/')], miss: [{}, plain('https://www.paypal.com/')] },
};
