/** Content-Transfer-Encoding decoders working on bytes. Lenient: bad input decodes to what can be read. */

const HEX: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[0x41 + i] = 10 + i;
    t[0x61 + i] = 10 + i;
  }
  return t;
})();

/**
 * Quoted-printable (RFC 2045 6.7): `=XX` escapes, soft line breaks `=\n` / `=\r\n`;
 * a malformed `=` is kept literally, as mail readers do.
 */
export function decodeQuotedPrintable(src: Buffer): Buffer {
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const c = src[i]!;
    if (c !== 0x3d) {
      out[o++] = c;
      continue;
    }
    const a = i + 1 < n ? src[i + 1]! : -1;
    const b = i + 2 < n ? src[i + 2]! : -1;
    if (a === 0x0a) {
      i += 1; // soft break
    } else if (a === 0x0d && b === 0x0a) {
      i += 2;
    } else if (a >= 0 && b >= 0 && HEX[a]! >= 0 && HEX[b]! >= 0) {
      out[o++] = (HEX[a]! << 4) | HEX[b]!;
      i += 2;
    } else {
      // "=" followed by trailing spaces then newline is also a soft break
      let j = i + 1;
      while (j < n && (src[j] === 0x20 || src[j] === 0x09)) j++;
      if (j < n && src[j] === 0x0a) i = j;
      else if (j + 1 < n && src[j] === 0x0d && src[j + 1] === 0x0a) i = j + 1;
      else if (j === n) i = j;
      else out[o++] = c;
    }
  }
  return out.subarray(0, o);
}

/** Base64, skipping anything outside the alphabet; stops at the first `=` padding run. */
export function decodeBase64(src: Buffer): Buffer {
  // Node's decoder already skips whitespace and invalid characters.
  return Buffer.from(src.toString('latin1'), 'base64');
}

/** Decode a body by its (lower-cased) Content-Transfer-Encoding; unknown encodings pass through. */
export function decodeTransfer(body: Buffer, encoding: string): Buffer {
  if (encoding === 'base64') return decodeBase64(body);
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}
