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
  const scored: Array<UsedToken & { strength: number }> = [];
  for (const [hash, c] of found) {
    const prob = tokenProbability(c.spam, c.ham, nspam, nham);
    if (prob === undefined) continue;
    scored.push({ hash, prob, spam: c.spam, ham: c.ham, strength: Math.abs(prob - 0.5) });
  }
  if (scored.length === 0) return undefined;
  scored.sort((a, b) => b.strength - a.strength);
  const used: UsedToken[] = [];
  for (const t of scored.slice(0, N_SIGNIFICANT_TOKENS)) {
    if (t.strength < MIN_PROB_STRENGTH) continue;
    used.push({ hash: t.hash, prob: t.prob, spam: t.spam, ham: t.ham });
  }
  if (used.length === 0) return undefined;
  const probability = combine(
    nspam,
    nham,
    used.map((t) => t.prob),
  );
  if (probability === undefined) return undefined;
  return { probability, tokens: totalTokens, learned: scored.length, used };
}
