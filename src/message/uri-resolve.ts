/** RFC 3986 reference resolution (section 5.2), for `<base href>` and relative links in HTML. */

interface UriParts {
  scheme?: string;
  authority?: string;
  path: string;
  query?: string;
  fragment?: string;
}

function splitUri(u: string): UriParts {
  const m = /^(?:([^:/?#]+):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?/s.exec(u)!;
  return { scheme: m[1], authority: m[2], path: m[3] ?? '', query: m[4], fragment: m[5] };
}

/** RFC 3986 section 5.2.4, with a leading `./` or `../` read as `/`. */
function removeDotSegments(path: string): string {
  let input = path.replace(/^\.\.?\//, '/');
  let output = '';
  while (input) {
    if (/^\/\.(?:$|\/)/.test(input)) input = input.replace(/^\/\.(?:$|\/)/, '/');
    else if (/^\/\.\.(?:$|\/)/.test(input)) {
      input = input.replace(/^\/\.\.(?:$|\/)/, '/');
      output = output.replace(/\/?[^/]*$/, '');
    } else {
      const seg = /^\/?[^/]*/.exec(input)![0];
      output += seg;
      input = input.slice(seg.length);
      if (seg === '') break;
    }
  }
  return output;
}

/**
 * Resolve a reference against `<base href>` (RFC 3986 section 5.2). Dot segments
 * are removed even without a base, so `../x` and `/x` name the same thing.
 */
export function resolveUri(base: string, ref: string): string {
  // Without a base, a reference with no dot segments and no scheme-less authority resolves to itself.
  // (A path starts the reference, follows `scheme:` or follows `//authority`.)
  if (base === '' && !ref.includes('/.') && !ref.includes(':.') && ref.charCodeAt(0) !== 0x2e && !ref.startsWith('//')) return ref;
  const r = splitUri(ref);
  const b = splitUri(base);
  const t: UriParts = { path: '' };
  if (r.scheme !== undefined && r.scheme === b.scheme) r.scheme = undefined;
  if (r.scheme !== undefined) {
    Object.assign(t, { scheme: r.scheme, authority: r.authority, path: removeDotSegments(r.path), query: r.query });
  } else {
    if (r.authority !== undefined) {
      Object.assign(t, { authority: r.authority, path: removeDotSegments(r.path), query: r.query });
    } else {
      if (r.path === '') {
        t.path = b.path;
        t.query = r.query ?? b.query;
      } else {
        if (r.path.startsWith('/')) t.path = removeDotSegments(r.path);
        else {
          const merged =
            b.authority !== undefined && !b.path ? '/' + r.path : (b.path.includes('/') ? b.path.replace(/[^/]*$/, '') : '') + r.path;
          t.path = removeDotSegments(merged);
        }
        t.query = r.query;
      }
      t.authority = b.authority;
    }
    t.scheme = b.scheme;
  }
  t.fragment = r.fragment;
  let out = '';
  if (t.scheme) out += t.scheme + ':';
  else if (t.authority !== undefined) {
    if (/^www\d*\./i.test(t.authority)) out += 'http:';
    else if (/^ftp\d*\./i.test(t.authority)) out += 'ftp:';
  }
  if (t.authority !== undefined) out += '//' + t.authority;
  out += t.path;
  if (t.query !== undefined) out += '?' + t.query;
  if (t.fragment !== undefined) out += '#' + t.fragment;
  return out;
}
