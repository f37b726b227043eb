/**
 * Which header fields Bayes reads and how their tokens are named, as in
 * SpamAssassin 4.0.1: well-known noisy fields are skipped (Received is handled
 * apart), a few are only marked present, and frequent names are compressed.
 */

const IGNORED = [
  '(?:X-)?Sender', 'Delivered-To', 'Delivery-Date', '(?:X-)?Envelope-To', 'X-MIME-Auto[Cc]onverted',
  'X-Converted-To-Plain-Text', 'Subject', 'Date', 'X-List', '(?:X-)?Mailing-List',
  '(?:X-)?List-(?:Archive|Help|Id|Owner|Post|Subscribe|Unsubscribe|Host|Id|Manager|Admin|Comment|Name|Url)',
  'X-Unsub(?:scribe)?', 'X-Mailman-Version', 'X-Been[Tt]here', 'X-Loop', 'Mail-Followup-To',
  'X-eGroups-(?:Return|From)', 'X-MDMailing-List', 'X-XEmacs-List', 'X-Sympa-To', '(?:X-)?Resent-(?:From|To|Date)',
  '(?:X-)?Original-(?:From|To|Date)', 'X-MailScanner(?:-SpamCheck)?',
  'X-Spam(?:-(?:Status|Level|Flag|Report|Hits|Score|Checker-Version))?', 'X-Antispam', 'X-RBL-Warning',
  'X-Mailscanner', 'X-MDaemon-Deliver-To', 'X-Virus-Scanned', 'X-Mass-Check-Id', 'X-Pyzor',
  'X-DCC-\\S{2,25}-Metrics', 'X-Filtered-B[Yy]', 'X-Scanned-By', 'X-Scanner', 'X-AP-Spam-(?:Score|Status)',
  'X-RIPE-Spam-Status', 'X-SpamCop-[^:]+', 'X-SMTPD', '(?:X-)?Spam-Apparently-To', 'SPAM', 'X-Perlmx-Spam',
  'X-Bogosity', 'Content-Class', 'Thread-(?:Index|Topic)', 'X-Original[Aa]rrival[Tt]ime', '(?:X-)?Status',
  'X-Flags', 'X-Keywords', 'Replied', 'Forwarded', 'Lines', 'Content-Length', 'X-UIDL?', 'X-IMAPbase',
  'X-Bugzilla-[^:]+',
  'X-VM-(?:Bookmark|(?:POP|IMAP)-Retrieved|Labels|Last-Modified|Summary-Format|VHeader|v\\d-Data|Message-Order)',
  'X-Gnus-Mail-Source', 'Xref',
];

const PRESENCE_ONLY = [
  'X-Face', 'X-(?:Gnu-?PG|PGP|GPG)(?:-Key)?-Fingerprint', 'D(?:KIM|omainKey)-Signature',
  'X-Google-DKIM-Signature', 'ARC-(?:Message-Signature|Seal)', 'Autocrypt',
];

/** Names matched exactly (case-sensitive, as SpamAssassin does). */
const COMPRESSED: ReadonlyArray<[string, string]> = [
  ['Message-Id', '*m'], ['Message-ID', '*M'], ['Received', '*r'], ['User-Agent', '*u'], ['References', '*f'],
  ['In-Reply-To', '*i'], ['From', '*F'], ['Reply-To', '*R'], ['Return-Path', '*p'], ['Return-path', '*rp'],
  ['X-Mailer', '*x'], ['X-Authentication-Warning', '*a'], ['Organization', '*o'], ['Organisation', '*o'],
  ['Content-Type', '*ct'], ['Content-Disposition', '*cd'], ['Content-Transfer-Encoding', '*ce'],
  ['x-spam-relays-trusted', '*RT'], ['x-spam-relays-untrusted', '*RU'],
];

export const headerNames = {
  /** Fields never tokenized (tested against the field name). */
  ignored: new RegExp(`^(?:${IGNORED.join('|')})$`, 'i'),
  /** Fields whose value is replaced by "1" (too short to be a token: they are in effect dropped). */
  presenceOnly: new RegExp(`^(?:${PRESENCE_ONLY.join('|')})$`, 'i'),
  compressed: new Map(COMPRESSED),
};
