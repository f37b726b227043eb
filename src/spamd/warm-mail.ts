/**
 * Made-up messages a scan worker checks before it says it is ready (warm-scans.ts), so V8 has
 * optimised the scan's JavaScript before the first real message instead of over the first
 * thousand. They are built here, not read from any corpus, and cover the kinds of mail whose
 * code paths differ: plain and HTML text, multipart with quoted-printable and base64 parts,
 * attachments, encoded headers, Latin-1, Cyrillic and East Asian charsets (text beyond Latin-1
 * also runs the rule regexes compiled for two-byte strings), URIs, relays and list headers, long
 * HTML in older mailers' style, older plain mail (other MTAs' relay lines, date forms, address
 * lists with comments and groups), forwarded messages and delivery reports.
 * Each call of `warmMail(i)` varies names, numbers and words, so caches keyed on text see
 * new text as they do in service.
 */

const WORDS = (
  'account agenda answer april backup budget build change client commit config contract cost deadline ' +
  'deliver design draft error feature friday invoice issue kernel launch meeting memory monday network ' +
  'office patch payment project quarter release report review schedule server shipping status support ' +
  'ticket update version weekend window'
).split(' ');
const PITCH = 'FREE limited offer click here now winner cash bonus discount pharmacy casino lowest price guaranteed act today unsubscribe'.split(' ');

/** A deterministic word stream: the same i gives the same text. */
function words(i: number, n: number, from: readonly string[] = WORDS): string {
  const out: string[] = [];
  let x = (i * 2654435761) >>> 0;
  for (let k = 0; k < n; k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(from[(x >>> 8) % from.length]!);
  }
  return out.join(' ');
}

/** Lines of about 70 characters. */
const wrap = (text: string): string => text.replace(/(.{1,70})(?: |$)/g, '$1\n');

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64').replace(/.{1,76}/g, '$&\n');

function qp(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  let line = 0;
  for (const b of bytes) {
    const enc = b === 10 ? '\n' : b === 61 || b > 126 ? `=${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
    if (enc === '\n') line = 0;
    else if (line + enc.length > 74) {
      out += '=\n';
      line = 0;
    }
    out += enc;
    line += enc === '\n' ? 0 : enc.length;
  }
  return out;
}

function headers(i: number, from: string, subject: string, extra: readonly string[] = []): string {
  const host = `mx${i % 7}.example.net`;
  const day = 1 + (i % 27);
  return [
    `Received: from ${host} (${host} [192.0.2.${10 + (i % 200)}])\n\tby mail.example.org (Postfix) with ESMTPS id ${(0xabc00 + i).toString(16).toUpperCase()}\n\tfor <user${i % 5}@example.org>; Mon, ${day} Mar 2025 10:${String(i % 60).padStart(2, '0')}:00 +0000`,
    `Received: from [198.51.100.${i % 250}] (helo=client${i}.example.net)\n\tby ${host} with esmtpa (Exim 4.96)\n\tid 1t${i}x-000${i % 9}; Mon, ${day} Mar 2025 10:00:00 +0000`,
    `From: ${from}`,
    `To: user${i % 5}@example.org`,
    `Subject: ${subject}`,
    `Date: Mon, ${day} Mar 2025 10:${String(i % 60).padStart(2, '0')}:00 +0000`,
    `Message-ID: <${i}.${(i * 7919) % 100000}@example.net>`,
    'MIME-Version: 1.0',
    ...extra,
  ].join('\n');
}

const boundary = (i: number): string => `=_part_${i}_${(i * 31337) % 99991}`;

type Maker = (i: number) => string;

const MAKERS: readonly Maker[] = [
  // Plain text among colleagues, with a quoted reply and a link.
  (i) =>
    `${headers(i, `"Ann Lee" <ann${i}@example.net>`, `Re: ${words(i, 4)}`, ['Content-Type: text/plain; charset=us-ascii', 'In-Reply-To: <x@example.net>', 'User-Agent: Mutt/2.2.9'])}\n\n` +
    `${wrap(words(i, 80))}\nSee https://git.example.net/project/${i}/commit?id=${i * 17}\n\n> ${words(i + 1, 12)}\n> ${words(i + 2, 12)}\n\n-- \nAnn\n`,
  // HTML only, loud: tables, fonts, colours, images and many links.
  (i) =>
    `${headers(i, `"Best Deals" <promo${i}@deals-${i % 13}.example.com>`, `${words(i, 3, PITCH).toUpperCase()} 100% ${i}$`, ['Content-Type: text/html; charset="iso-8859-1"', 'Content-Transfer-Encoding: 7bit', 'X-Mailer: Bulk Mailer 5.0'])}\n\n` +
    `<html><head><style>p{color:#f00}</style></head><body bgcolor="#ffffff"><table width="600"><tr><td>\n` +
    `<font size="5" color="red"><b>${words(i, 10, PITCH)}</b></font><br>\n` +
    `<img src="http://img.deals-${i % 13}.example.com/banner${i}.gif" width="1" height="1">\n` +
    Array.from({ length: 8 }, (_, k) => `<p><a href="http://deals-${i % 13}.example.com/r?u=${i}&amp;k=${k}">${words(i + k, 6, PITCH)}</a></p>\n`).join('') +
    `<!-- ${words(i, 20)} -->\n<div style="display:none">${words(i, 30)}</div>\n</td></tr></table></body></html>\n`,
  // multipart/alternative: quoted-printable UTF-8 text and base64 HTML, an encoded-word subject.
  (i) => {
    const b = boundary(i);
    const text = `Grüße, ${words(i, 40)} – “${words(i + 3, 5)}” naïve café ${i} €\n`;
    return (
      `${headers(i, `=?UTF-8?B?${Buffer.from(`Jürgen Müller ${i}`).toString('base64')}?= <jm${i}@example.de>`, `=?UTF-8?Q?Re=3A_Fr=C3=BChst=C3=BCck_${i}?=`, [`Content-Type: multipart/alternative; boundary="${b}"`])}\n\n` +
      `--${b}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qp(wrap(text))}\n` +
      `--${b}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${b64(`<html><body><p>${text}</p><a href="https://example.de/${i}">${words(i, 3)}</a></body></html>`)}--${b}--\n`
    );
  },
  // multipart/mixed with attachments: a zip, an image, a PDF name.
  (i) => {
    const b = boundary(i + 1);
    const blob = Buffer.alloc(300 + (i % 50), i % 251).toString('base64');
    return (
      `${headers(i, `billing${i}@example.com`, `Invoice ${1000 + i}`, [`Content-Type: multipart/mixed; boundary="${b}"`, 'Reply-To: accounts@example.com'])}\n\n` +
      `This is a multi-part message in MIME format.\n\n--${b}\nContent-Type: text/plain; charset=windows-1252\nContent-Transfer-Encoding: 8bit\n\n${wrap(words(i, 30))}\n` +
      `--${b}\nContent-Type: application/zip; name="invoice_${i}.zip"\nContent-Disposition: attachment; filename="invoice_${i}.zip"\nContent-Transfer-Encoding: base64\n\n${wrap(blob)}\n` +
      `--${b}\nContent-Type: image/gif; name="logo.gif"\nContent-Transfer-Encoding: base64\n\nR0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\n` +
      `--${b}\nContent-Type: application/pdf; name="terms ${i}.pdf"\nContent-Transfer-Encoding: base64\n\n${wrap(Buffer.from(`%PDF-1.4 ${words(i, 10)}`).toString('base64'))}\n--${b}--\n`
    );
  },
  // Latin-1, 8-bit, a mailing list.
  (i) =>
    `${headers(i, `liste-${i % 3}@example.fr`, `[liste] ${words(i, 5)}`, ['Content-Type: text/plain; charset=ISO-8859-1', 'Content-Transfer-Encoding: 8bit', `List-Id: <liste-${i % 3}.example.fr>`, 'List-Unsubscribe: <mailto:leave@example.fr>', 'Precedence: list'])}\n\n` +
    `${wrap(`Voilà ${words(i, 50)} à bientôt, élève ${i}`)}\n`,
  // Cyrillic in windows-1251 and KOI8-R.
  (i) => {
    const b = boundary(i + 2);
    const ru = `Здравствуйте ${i}, скидка на товары, звоните сейчас ${words(i, 8)}\n`;
    return (
      `${headers(i, `=?koi8-r?B?${Buffer.from('Магазин', 'utf8').toString('base64')}?= <shop${i}@example.ru>`, `=?windows-1251?Q?=CF=F0=E8=E2=E5=F2_${i}?=`, [`Content-Type: multipart/alternative; boundary="${b}"`])}\n\n` +
      `--${b}\nContent-Type: text/plain; charset=windows-1251\nContent-Transfer-Encoding: base64\n\n${b64(ru)}` +
      `--${b}\nContent-Type: text/html; charset=koi8-r\nContent-Transfer-Encoding: base64\n\n${b64(`<p>${ru}</p>`)}--${b}--\n`
    );
  },
  // East Asian: Japanese (ISO-2022-JP header, Shift_JIS body), Chinese GB2312 and Big5, Korean EUC-KR.
  (i) => {
    const b = boundary(i + 3);
    const part = (cs: string, text: string): string => `--${b}\nContent-Type: text/plain; charset=${cs}\nContent-Transfer-Encoding: base64\n\n${b64(text)}`;
    return (
      `${headers(i, `info${i}@example.jp`, `=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?= ${i}`, [`Content-Type: multipart/mixed; boundary="${b}"`])}\n\n` +
      part('shift_jis', `こんにちは、${i}番のお知らせです。詳しくはこちら http://example.jp/${i}\n`) +
      part('gb2312', `您好，特价优惠 ${i}，请访问我们的网站。\n`) +
      part('big5', `您好，特價優惠 ${i}。\n`) +
      part('euc-kr', `안녕하세요 ${i} 특별 할인\n`) +
      `--${b}--\n`
    );
  },
  // A long newsletter: many paragraphs, obfuscated words, a tracking URI per line.
  (i) =>
    `${headers(i, `news@list-${i % 4}.example.com`, `Weekly ${words(i, 3)} #${i}`, ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', 'Precedence: bulk', 'X-Campaign: c' + i])}\n\n` +
    Array.from({ length: 12 }, (_, k) => `${wrap(`${words(i + k, 25)} V1AGRA m0ney ${words(i, 3, PITCH)}`)}https://t.example.com/c/${i}/${k}?utm_source=mail\n`).join('\n'),
  // Long HTML in the style of mass mailers and older mail programs: upper-case tags, attribute
  // values unquoted, single- and double-quoted, entities, hidden text, a form, an image map and a
  // script, quoted-printable, beside a plain-text part; the HTML parser meets most of its states.
  (i) => {
    const b = boundary(i + 4);
    const row = (k: number): string =>
      `<TR><TD ALIGN=center BGCOLOR=#${(0x10 + k * 37 + i).toString(16).padStart(6, '0').slice(-6)} width='${30 + k}%'><FONT FACE="Arial, Helvetica" SIZE=${1 + (k % 4)} COLOR='#${k}${k}0000'>` +
      `${words(i + k, 5, PITCH).toUpperCase()} &nbsp;&amp;&nbsp; ${words(i + k, 4)} &#174; &copy; &#x2019;s</FONT></TD>` +
      `<td><a href=http://www.shop-${(i + k) % 11}.example.com/cgi-bin/r.pl?id=${i * 100 + k}&amp;e=user%40example.org target=_blank><IMG SRC="http://img.example.com/${k}.jpg" border=0 alt='${words(k, 2)}'></a></td></TR>\n`;
    const html =
      `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<HTML><HEAD><TITLE>${words(i, 4)}</TITLE>\n<META http-equiv=Content-Type content="text/html; charset=windows-1252">\n` +
      `<STYLE type=text/css>.x${i} { font-size: 2px; color: #fefefe } TD { font-family: Verdana }</STYLE></HEAD>\n` +
      `<BODY text=#000000 vLink=#800080 link=#0000ff bgColor=#ffffff leftMargin=0 topMargin=0>\n<CENTER><TABLE cellSpacing=0 cellPadding=4 width=600 border=1>\n` +
      Array.from({ length: 6 }, (_, k) => row(k)).join('') +
      `</TABLE></CENTER>\n<p class=x${i}>${words(i, 40)}</p><span style="display:none;font-size:0px">${words(i + 9, 30)}</span>\n` +
      `<H1>${words(i, 3, PITCH)}</H1><H2 align=right>${i} USD</H2><UL><LI>${words(i, 6)}<LI>${words(i + 1, 6)}</UL><HR size=1>\n` +
      `<FORM action="http://forms.example.com/submit.php" method=post><INPUT type=text name=email size=30><INPUT type=password name=pw><INPUT type=submit value="Go"></FORM>\n` +
      `<MAP name=m${i}><AREA shape=rect coords="0,0,${i % 90},20" href="http://map.example.com/${i}"></MAP><IMG src="cid:part1.${i}@example.com" usemap=#m${i}>\n` +
      `<SCRIPT language=JavaScript>var n=${i}; if (n > 1) { document.write('x'); }</SCRIPT><!-- ${words(i, 12)} --><NOSCRIPT>${words(i, 5)}</NOSCRIPT>\n` +
      `<DIV><B><I><U>${words(i, 8)}</U></I></B><BR><BR>To be removed <A HREF="mailto:remove${i}@example.com?subject=remove">click here</A>.</DIV></BODY></HTML>\n`;
    return (
      `${headers(i, `"${words(i, 2, PITCH).toUpperCase()}" <offers@shop-${i % 11}.example.com>`, `${words(i, 4, PITCH)} ${i}`, [`Content-Type: multipart/alternative;\n\tboundary="${b}"`, 'X-Mailer: Microsoft Outlook Express 6.00.2800.1106', 'X-Priority: 3', 'X-MSMail-Priority: Normal'])}\n\n` +
      `This is a multi-part message in MIME format.\n\n--${b}\nContent-Type: text/plain;\n\tcharset="windows-1252"\nContent-Transfer-Encoding: quoted-printable\n\n${qp(wrap(`${words(i, 60, PITCH)} ${i}`))}\n` +
      `--${b}\nContent-Type: text/html;\n\tcharset="windows-1252"\nContent-Transfer-Encoding: quoted-printable\n\n${qp(html)}\n--${b}--\n`
    );
  },
  // Older plain mail: relays written by other MTAs, date forms with a zone comment, several
  // addressees with comments and a group, a shouting paragraph, deep quoting, a signature.
  (i) => {
    const ip = `10.${i % 200}.${(i * 7) % 250}.${1 + (i % 250)}`;
    const relays = [
      `Received: (qmail ${1000 + i} invoked from network); ${1 + (i % 28)} Jan 2003 0${i % 10}:1${i % 6}:00 -0000`,
      `Received: from unknown (HELO mail${i % 9}.example.com) (${ip})\n  by mx.example.org with SMTP; Tue, ${1 + (i % 28)} Jan 2003 09:00:00 -0000`,
      `Received: from ws${i}.corp.example.com ([${ip}]) by ex${i % 3}.corp.example.com with Microsoft SMTPSVC(5.0.2195.5329);\n\t Tue, ${1 + (i % 28)} Jan 2003 01:00:00 -0800`,
      `Received: from host${i}.example.net (host${i}.example.net [${ip}])\n\tby relay.example.org (8.12.8/8.12.8) with ESMTP id h0${i}AB${i % 99}\n\tfor <list@example.org>; Tue, ${1 + (i % 28)} Jan 2003 04:00:00 -0500 (EST)`,
    ];
    return (
      [
        'Return-Path: <bounce-' + i + '@example.net>',
        `Delivered-To: user${i % 5}@example.org`,
        ...relays,
        `From: "Lee, Ann (Sales)" <ann.lee${i}@corp.example.com>`,
        `To: undisclosed-recipients:;`,
        `Cc: bob@example.org (Bob Smith), "Carol D." <carol${i}@example.net>, dave@[192.0.2.${i % 250}]`,
        `Subject: RE: FW: ${words(i, 5)} ${i}`,
        `Date: Tue, ${1 + (i % 28)} Jan 03 0${i % 10}:00:${String(i % 60).padStart(2, '0')} -0800 (PST)`,
        `Message-ID: <${(0x5f3a0 + i).toString(16).toUpperCase()}$${i % 7}@ws${i}.corp.example.com>`,
        'X-Mailer: Internet Mail Service (5.5.2653.19)',
        `Content-Type: text/plain;\n\tcharset="iso-8859-1"`,
        '',
        wrap(words(i, 50)),
        `${words(i, 20, PITCH).toUpperCase()} ${i}% OFF!!! CALL 1-800-${String(100 + (i % 900))}-${String(1000 + i).slice(-4)} NOW!!!`,
        '',
        `>> ${words(i + 1, 14)}`,
        `> > ${words(i + 2, 14)}`,
        `> ${words(i + 3, 14)}`,
        '',
        `-----Original Message-----\nFrom: Bob [mailto:bob@example.org]\nSent: Monday, January ${1 + (i % 28)}, 2003 5:00 PM\n\n${wrap(words(i + 4, 40))}`,
        '_______________________________________________',
        `List mailing list\nList@lists.example.org\nhttp://lists.example.org/mailman/listinfo/list${i % 3}`,
        '',
      ].join('\n')
    );
  },
  // A forwarded message and a delivery report: message/rfc822 and multipart/report parts.
  (i) => {
    const b = boundary(i + 5);
    const inner = `From: someone${i}@example.com\nTo: you@example.org\nSubject: ${words(i, 4)}\nDate: Wed, 2 Apr 2025 08:00:00 +0200\nMessage-ID: <in${i}@example.com>\n\n${wrap(words(i, 45))}`;
    return (
      `${headers(i, `MAILER-DAEMON@mx${i % 4}.example.net`, `Undelivered Mail Returned to Sender`, [`Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="${b}"`, 'Auto-Submitted: auto-replied'])}\n\n` +
      `--${b}\nContent-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\nThis is the mail system at host mx${i % 4}.example.net.\n\n<user${i}@example.org>: host mail.example.org[192.0.2.${i % 250}] said: 550 5.1.1 unknown user\n\n` +
      `--${b}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx${i % 4}.example.net\nFinal-Recipient: rfc822; user${i}@example.org\nAction: failed\nStatus: 5.1.1\n\n` +
      `--${b}\nContent-Description: Undelivered Message\nContent-Type: message/rfc822\n\n${inner}\n--${b}--\n`
    );
  },
];

/** How many kinds of message there are: warmMail(i) cycles through them. */
export const WARM_KINDS = MAKERS.length;

/** The i-th warm-up message, raw bytes with CRLF-free line ends as mail files have them. */
export function warmMail(i: number): Buffer {
  const text = MAKERS[i % MAKERS.length]!(i);
  // Text is written as Unicode here; mail is bytes: UTF-8 except the parts declared Latin-1.
  return Buffer.from(text, i % MAKERS.length === 4 ? 'latin1' : 'utf8');
}
