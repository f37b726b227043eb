/**
 * Bayes classification: Robinson's f(w) per token, the 150 most significant
 * tokens (at least 0.346 away from 0.5), combined with Fisher's chi-square as
 * SpamAssassin 4.0.1 does (Bayes/CombineChi.pm's constants: s = 0.030, x = 0.538).
 */

/** Robinson's strength of background knowledge. */
export const FW_S = 0.03;
/** Robinson's assumed probability of an unknown word. */
export const FW_X = 0.538;
/** Tokens closer than this to 0.5 are not used. */
export const MIN_PROB_STRENGTH = 0.346;
/** At most this many tokens are combined. */
export const N_SIGNIFICANT_TOKENS = 150;

/**
 * A token's spam probability from its counts and the message counts, or
 * undefined when it was never seen (or either message count is 0).
 */
export function tokenProbability(spam: number, ham: number, nspam: number, nham: number): number | undefined {
  if (!nspam || !nham) return undefined;
  const n = spam + ham;
  if (n < 1) return undefined;
  const p = (spam * nham) / (ham * nspam + spam * nham);
  return (FW_S * FW_X + n * p) / (FW_S + n);
}

/** Upper tail of the chi-square distribution for 2*halfv degrees of freedom. */
function chi2q(x2: number, halfv: number): number {
  const m = x2 / 2;
  let term = Math.exp(-m);
  let sum = term;
  for (let i = 1; i < halfv; i++) {
    term *= m / i;
    sum += term;
  }
  return sum < 1 ? sum : 1;
}

/** log(x) for a product kept as mantissa and base-2 exponent, avoiding underflow. */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.max(-1023, Math.floor(Math.log2(Math.abs(x))) + 1);
  let m = x * Math.pow(2, -e);
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 1) {
    m /= 2;
    e++;
  }
  return [m, e];
}

/** Chi-square combining of the selected token probabilities; undefined when there are none. */
export function combine(nspam: number, nham: number, probs: readonly number[]): number | undefined {
  const wc = probs.length;
  if (!wc || nspam + nham === 0) return undefined;
  let S = nspam / (nspam + nham);
  let H = nham / (nspam + nham);
  let sexp = 0;
  let hexp = 0;
  for (const p of probs) {
    S *= 1 - p;
    H *= p;
    if (S < 1e-200) {
      const [m, e] = frexp(S);
      S = m;
      sexp += e;
    }
    if (H < 1e-200) {
      const [m, e] = frexp(H);
      H = m;
      hexp += e;
    }
  }
  const lnS = Math.log(S) + sexp * Math.LN2;
  const lnH = Math.log(H) + hexp * Math.LN2;
  const s = 1 - chi2q(-2 * lnS, wc);
  const h = 1 - chi2q(-2 * lnH, wc);
  return (s - h + 1) / 2;
}

/** One token that took part in a verdict. */
export interface UsedToken {
  hash: number;
  prob: number;
  spam: number;
  ham: number;
}

/** What classifying one message gives. */
export interface BayesVerdict {
  /** Spam probability 0..1. */
  probability: number;
  /** Tokens in the message / of those, found in the database. */
  tokens: number;
  learned: number;
  /** The significant tokens used, strongest first. */
  used: UsedToken[];
}

/**
 * Select the significant tokens and combine them. `found` holds the database
 * counts of the message's tokens that are known.
 */
export function classifyCounts(
  nspam: number,
  nham: number,
  totalTokens: number,
  found: ReadonlyMap<number, { spam: number; ham: number }>,
): BayesVerdict | undefined {
  const hashes: number[] = [];
  const spam: number[] = [];
  const ham: number[] = [];
  for (const [h, c] of found) {
    hashes.push(h);
    spam.push(c.spam);
    ham.push(c.ham);
  }
  return classifyLookup({ nspam, nham, hashes, spam, ham }, totalTokens);
}

/** The known tokens of a message and the message counts, as a store's `lookup` gives them. */
export interface FoundTokens {
  readonly nspam: number;
  readonly nham: number;
  readonly hashes: readonly number[];
  readonly spam: readonly number[];
  readonly ham: readonly number[];
}

/**
 * `classifyCounts` on a store's lookup. Tokens are ranked by strength, ties by ascending hash,
 * so the verdict does not depend on the order a store returns them in (SQLite's was ascending
 * hash order). Only tokens at least MIN_PROB_STRENGTH from 0.5 are sorted: they are a prefix
 * of the full ranking, so taking them first gives the same tokens as ranking everything.
 */
export function classifyLookup(found: FoundTokens, totalTokens: number): BayesVerdict | undefined {
  const { nspam, nham, hashes, spam, ham } = found;
  let learned = 0;
  const strong: number[] = [];
  const prob = new Float64Array(hashes.length);
  const strength = new Float64Array(hashes.length);
  for (let i = 0; i < hashes.length; i++) {
    const p = tokenProbability(spam[i]!, ham[i]!, nspam, nham);
    if (p === undefined) continue;
    learned++;
    prob[i] = p;
    strength[i] = Math.abs(p - 0.5);
    if (strength[i]! >= MIN_PROB_STRENGTH) strong.push(i);
  }
  if (learned === 0 || strong.length === 0) return undefined;
  strong.sort((a, b) => strength[b]! - strength[a]! || hashes[a]! - hashes[b]!);
  if (strong.length > N_SIGNIFICANT_TOKENS) strong.length = N_SIGNIFICANT_TOKENS;
  const used: UsedToken[] = strong.map((i) => ({ hash: hashes[i]!, prob: prob[i]!, spam: spam[i]!, ham: ham[i]! }));
  const probability = combine(
    nspam,
    nham,
    used.map((t) => t.prob),
  );
  if (probability === undefined) return undefined;
  return { probability, tokens: totalTokens, learned, used };
}
