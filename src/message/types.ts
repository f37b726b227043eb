import type { HtmlRender } from './html';

/**
 * The parsed message model: everything the rule engine, Bayes and the reports read.
 * A `Message` is built once from bytes by `parseMessage` and never mutated afterwards.
 */

/** One header line as it appeared, with its decoded form. */
export interface HeaderField {
  /** Name as written in the message (case kept). */
  readonly name: string;
  /** Lower-cased name, the lookup key. */
  readonly key: string;
  /**
   * Value exactly as it appeared after the colon, folding kept, as a binary
   * ("latin1") string so no byte is lost. No trailing newline.
   */
  readonly raw: string;
  /**
   * Value unfolded, trimmed, RFC 2047 words decoded and the whole converted to
   * Unicode (8-bit bytes are read as UTF-8 when valid, else as Latin-1).
   */
  readonly value: string;
}

/** Problems found while parsing, as SpamAssassin's `check_msg_parse_flags` names them. */
export interface ParseFlags {
  /** The header block had no blank line after it (the message was all header, or junk). */
  missingHeadBodySeparator: boolean;
  /** A header line that was not `Name: value` ended the header block early. */
  truncatedHeader: boolean;
  /** A multipart part whose boundary never appeared, or had no closing boundary. */
  missingMimeBoundary: boolean;
  /** Multipart nesting went past the depth bound; deeper parts were kept as opaque leaves. */
  mimeDepthExceeded: boolean;
  /** More parts than the part bound; the rest were not walked. */
  tooManyParts: boolean;
  /** Some part body was cut to the scan-size bound. */
  truncatedBody: boolean;
}

/** One node of the MIME tree. */
export interface MimePart {
  /** Headers of this part (for the top part: the message headers). */
  readonly headers: readonly HeaderField[];
  /** Lower-cased media type, e.g. `text/plain`; `text/plain` when absent or unparsable. */
  readonly type: string;
  /** Parameters of Content-Type (keys lower-cased, values decoded). */
  readonly typeParams: Readonly<Record<string, string>>;
  /** Declared charset, lower-cased, or undefined. */
  readonly charset: string | undefined;
  /** Lower-cased Content-Transfer-Encoding (`7bit` when absent). */
  readonly encoding: string;
  /** Content-Disposition value lower-cased (`inline`, `attachment`) or undefined. */
  readonly disposition: string | undefined;
  /** File name from Content-Disposition or Content-Type `name`, if any. */
  readonly filename: string | undefined;
  /** Child parts of a multipart or message/rfc822 part. */
  readonly children: readonly MimePart[];
  /** Nesting depth: 0 for the message itself. */
  readonly depth: number;
  /** The part's undecoded body bytes (a view into the input, not a copy). */
  readonly rawBody: Buffer;
  /** Size of the transfer-decoded body in bytes (before any scan-size cut). */
  readonly decodedSize: number;
  /**
   * Transfer-decoded body bytes, cut to the scan-size bound.
   * Computed on first use; leaves only.
   */
  decoded(): Buffer;
  /** Decoded body as Unicode text in the declared charset (fallbacks never throw). Leaves only. */
  text(): string;
}

/** A URI found in the message, with where it came from. */
export interface MessageUri {
  /** The URI as found (after entity decoding, before canonicalisation). */
  readonly raw: string;
  /** The main canonical form (scheme added to schemeless `www.` forms). */
  readonly url: string;
  /** Every canonical variant (decoded, de-obfuscated, redirect targets): what `uri` rules match. */
  readonly cleaned: readonly string[];
  /** `http`, `https`, `mailto`, `ftp`, ... lower-cased. */
  readonly scheme: string;
  /** Lower-cased host (for mailto: the address domain), or '' when none is valid. */
  readonly host: string;
  /** Registrable domain of the host (public suffix + 1 label), or the IP, or ''. */
  readonly domain: string;
  /** Where it came from: `parsed` (text), or the HTML tags (`a`, `img`, `form`, ...). */
  readonly sources: readonly string[];
  /** For HTML anchors: the distinct visible link texts. */
  readonly anchorText: readonly string[];
}

/** One relay parsed from a Received header. */
export interface Relay {
  /** Connecting IP as seen by the receiving host ('' when the header names none). */
  readonly ip: string;
  /** Reverse DNS name the receiving host recorded ('' when none). */
  readonly rdns: string;
  /** HELO/EHLO name the client gave ('' when none). */
  readonly helo: string;
  /** The receiving host (`by`). */
  readonly by: string;
  /** Queue / message id at the receiving host. */
  readonly id: string;
  /** Envelope sender, when the header records it. */
  readonly envfrom: string;
  /** Authentication mechanism when the client authenticated (e.g. `ESMTPA`, `SMTP AUTH`), else ''. */
  readonly auth: string;
  /** The relay's `ident` (RFC 1413) user, if recorded. */
  readonly ident: string;
  /**
   * The receiving MTA writes a shape that always records its reverse lookup, and
   * recorded none: the client has no rDNS (rather than "not written down").
   */
  readonly noReverseDns: boolean;
  /** True when the IP is in a private / reserved range. */
  readonly ipPrivate: boolean;
  /** True when the relay is inside trusted_networks (after SpamAssassin's inference rules). */
  readonly trusted: boolean;
  /** True when the relay is inside internal_networks. */
  readonly internal: boolean;
  /** True when the handover was authenticated (and so counts as trusted/internal). */
  readonly msa: boolean;
  /** The unfolded Received header the relay came from. */
  readonly source: string;
}

/** The Received chain, split as SpamAssassin splits it. Relays are newest first. */
export interface RelayChain {
  readonly all: readonly Relay[];
  readonly trusted: readonly Relay[];
  readonly untrusted: readonly Relay[];
  readonly internal: readonly Relay[];
  readonly external: readonly Relay[];
  /** Received headers that could not be parsed into a relay (local delivery, fetchmail, ...). */
  readonly skipped: number;
  /**
   * Received headers no known shape could read (SpamAssassin's `num_relays_unparseable`).
   * Unlike `skipped`, local deliveries and mailbox fetches recognised as such do not count.
   */
  readonly unparseable: number;
  /** Index, among Received headers from the top, of the last one a trusted hop added (-1: none). */
  readonly lastTrustedIndex: number;
  /** The same for internal hops. */
  readonly lastInternalIndex: number;
  /**
   * IP of the first untrusted relay (the host that handed the message to us);
   * the AWL and DNSBL checks key on it. undefined when every relay is trusted.
   */
  readonly lastUntrustedIp: string | undefined;
  /** Pseudo-header values in SpamAssassin's format (`[ ip=... rdns=... ]` per relay). */
  readonly pseudoHeaders: {
    readonly trusted: string;
    readonly untrusted: string;
    readonly internal: string;
    readonly external: string;
  };
}

/** The whole parsed message. Derived views are computed on first use and cached. */
export interface Message {
  /** The input as given (with any mbox `From ` line). */
  readonly raw: Buffer;
  /** The mbox `From ` separator line, if the input started with one (no newline). */
  readonly mboxFrom: string | undefined;
  /** Top-level headers in order. */
  readonly headers: readonly HeaderField[];
  /** The header block exactly as received, with its blank separator line (after any mbox `From ` line). */
  readonly headerBytes: Buffer;
  /** The body exactly as received (a view into `raw`). */
  readonly bodyBytes: Buffer;
  /** The line ending the message uses (`\r\n` when its first line ends so). */
  readonly lineEnding: '\n' | '\r\n';
  /** The MIME tree; `root.headers === headers`. */
  readonly root: MimePart;
  /** Leaf parts in document order. */
  readonly leaves: readonly MimePart[];
  /** Parse problems. */
  readonly flags: Readonly<ParseFlags>;
  /**
   * What `body` rules read: text/plain and text/html leaves rendered to text,
   * whitespace collapsed as SpamAssassin does, the Subject prepended to the
   * first paragraph, split into lines of at most 2,048 characters.
   */
  readonly bodyText: readonly string[];
  /** What `rawbody` rules read: text leaves transfer-decoded, not rendered, in short paragraphs. */
  readonly rawBodyText: readonly string[];
  /** What `full` rules read: the whole message as a binary (latin1) string. */
  readonly fullText: string;
  /** Rendered HTML parts (with their links and tag statistics), in document order. */
  readonly htmlParts: readonly HtmlRender[];
  /** Every URI in the message: text bodies, HTML attributes, schemeless www. forms, mailto:. */
  readonly uris: readonly MessageUri[];
  /** Every canonical URI variant, deduplicated: what `uri` rules match. */
  readonly uriList: readonly string[];
  /** The Received chain split into trusted/untrusted and internal/external. */
  readonly relays: RelayChain;
}
