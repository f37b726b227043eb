/** Content-Type / Content-Disposition parsing: media type plus parameters (RFC 2045, RFC 2231). */

export interface ParsedContentType {
  /** Lower-cased `type/subtype`, or '' when absent or unparsable. */
  type: string;
  /** Parameters, keys lower-cased, values unquoted (RFC 2231 continuations joined and decoded). */
  params: Record<string, string>;
}

/** Split `value` at `;` outside quoted strings (a backslash in quotes escapes the next character). */
function splitParams(value: string): string[] {
  // Pieces are sliced in stretches (not built a character at a time); only an escape breaks a stretch.
  const out: string[] = [];
  let cur = '';
  let from = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x5c && quoted && i + 1 < value.length) {
      cur += value.slice(from, i);
      from = ++i;
      continue;
    }
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x3b && !quoted) {
      out.push(cur + value.slice(from, i));
      cur = '';
      from = i + 1;
    }
  }
  out.push(cur + value.slice(from));
  return out;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1);
  // An unterminated quote (a common spam bug): drop the opening quote only.
  if (t.startsWith('"')) return t.slice(1);
  return t;
}

function percentDecode(v: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(v.slice(i + 1, i + 3))) {
      bytes.push(parseInt(v.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0) & 0xff);
  }
  const buf = Buffer.from(bytes);
  return /utf-?8/i.test(charset) ? buf.toString('utf8') : buf.toString('latin1');
}

/** Parse a Content-Type-like header value. Never throws. */
export function parseContentType(value: string | undefined): ParsedContentType {
  if (value === undefined) return { type: '', params: {} };
  const pieces = splitParams(value);
  const head = (pieces[0] ?? '').trim().toLowerCase();
  const m = /^([^\s;/]+)\s*\/\s*([^\s;]+)/.exec(head);
  const type = m ? `${m[1]}/${m[2]}` : head.split(/\s/)[0] ?? '';
  const params: Record<string, string> = {};
  const continued: Record<string, { parts: string[]; encoded: boolean }> = {};
  for (const piece of pieces.slice(1)) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const rawKey = piece.slice(0, eq).trim().toLowerCase();
    const val = unquote(piece.slice(eq + 1));
    const cm = /^([^*]+)\*(\d+)(\*?)$/.exec(rawKey);
    if (cm) {
      const slot = (continued[cm[1]!] ??= { parts: [], encoded: false });
      slot.parts[Number(cm[2])] = val;
      if (cm[2] === '0' && cm[3] === '*') slot.encoded = true;
      continue;
    }
    if (rawKey.endsWith('*')) {
      const key = rawKey.slice(0, -1);
      const em = /^([^']*)'[^']*'(.*)$/.exec(val);
      params[key] = em ? percentDecode(em[2]!, em[1]!) : val;
      continue;
    }
    if (!(rawKey in params)) params[rawKey] = val;
  }
  for (const [key, slot] of Object.entries(continued)) {
    const joined = slot.parts.filter((p) => p !== undefined).join('');
    if (slot.encoded) {
      const em = /^([^']*)'[^']*'(.*)$/.exec(joined);
      params[key] = em ? percentDecode(em[2]!, em[1]!) : joined;
    } else params[key] ??= joined;
  }
  return { type, params };
}
