/**
 * Score fitting: cost-weighted, L2-regularised logistic regression on rule hits, with the
 * sign of each score bounded and the decision boundary tied to the required score.
 *
 * The model is p(spam) = sigmoid(a * (score - t)), score = offset + sum of fitted scores hit,
 * where `offset` is what the rules that are not fitted add and `t` the required score. With
 * beta = a * s (logits per rule) it is linear in (beta, a), so the loss is convex; scores are
 * beta / a, which is the rescale that puts the fitted boundary (p = 1/2) exactly on `t`.
 * Sign constraints are box bounds on beta (a > 0 keeps the sign). The penalty pulls each
 * score toward its current value (beta toward a * s0), so a rule the mail says little about
 * keeps about the score it had. Solved by spectral projected gradient (Birgin, Martinez and
 * Raydan's SPG: Barzilai-Borwein steps, projection onto the box, non-monotone line search).
 */

/** Hits as a sparse 0/1 matrix in compressed rows: row i's rule indices are cols[rowStart[i]..rowStart[i+1]). */
export interface HitMatrix {
  readonly rows: number;
  readonly rowStart: Int32Array;
  readonly cols: Int32Array;
}

export interface FitProblem {
  readonly hits: HitMatrix;
  /** 1 spam, 0 ham, per row. */
  readonly spam: Uint8Array;
  /** Points each message gets from rules that are not fitted. */
  readonly offset: Float64Array;
  /** Current scores of the fitted rules (the penalty's centre, and the start). */
  readonly current: Float64Array;
  /** Bounds per fitted rule, in points (only the sign matters: 0 or an infinity). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** The required score. */
  readonly threshold: number;
  /** How much a false positive costs against a false negative (the weight of each ham). */
  readonly fpCost: number;
  /** Penalty strength, in message weights per squared logit (see FitOptions). */
  readonly l2: number;
}

export interface FitOptions {
  readonly maxIterations?: number;
  /** Stop when the projected gradient's largest component is below this. */
  readonly tolerance?: number;
}

export interface FitResult {
  /** Fitted scores in points, per fitted rule. */
  readonly scores: Float64Array;
  /** Logits per point: the slope of the fitted sigmoid. */
  readonly scale: number;
  readonly iterations: number;
  /** Loss and gradient evaluations (line-search trials included). */
  readonly evaluations: number;
  readonly loss: number;
  readonly converged: boolean;
}

const MIN_SCALE = 1e-3;

/** softplus(u) = log(1 + e^u) and sigmoid(u), stable for large |u|, from one exp. */
function softplusSigmoid(u: number, out: Float64Array): void {
  const e = Math.exp(-Math.abs(u));
  out[0] = Math.max(u, 0) + Math.log1p(e);
  out[1] = u >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** The convex objective over theta = [beta_0 .. beta_m-1, a]: value and gradient. */
class Objective {
  private readonly m: number;
  private readonly weightSum: number;
  private readonly pair = new Float64Array(2);
  /** Evaluations so far (each is one pass over the hits). */
  evaluations = 0;

  constructor(private readonly p: FitProblem) {
    this.m = p.current.length;
    let w = 0;
    for (let i = 0; i < p.hits.rows; i++) w += p.spam[i] ? 1 : p.fpCost;
    this.weightSum = w;
  }

  /** Loss at theta; writes the gradient into `grad`. */
  eval(theta: Float64Array, grad: Float64Array): number {
    this.evaluations++;
    const { hits, spam, offset, current, threshold, fpCost, l2 } = this.p;
    const m = this.m;
    const a = theta[m]!;
    const { rowStart, cols } = hits;
    grad.fill(0);
    let loss = 0;
    let gA = 0;
    const pair = this.pair;
    for (let i = 0; i < hits.rows; i++) {
      const from = rowStart[i]!;
      const to = rowStart[i + 1]!;
      const off = offset[i]! - threshold;
      let z = a * off;
      for (let k = from; k < to; k++) z += theta[cols[k]!]!;
      const y = spam[i] ? 1 : -1;
      const w = spam[i] ? 1 : fpCost;
      softplusSigmoid(-y * z, pair);
      loss += w * pair[0]!;
      // d/dz of w*softplus(-y z) = -w*y*sigmoid(-y z)
      const r = -w * y * pair[1]!;
      for (let k = from; k < to; k++) grad[cols[k]!]! += r;
      gA += r * off;
    }
    const inv = 1 / this.weightSum;
    loss *= inv;
    for (let j = 0; j < m; j++) grad[j]! *= inv;
    gA *= inv;
    // Penalty (l2 / W) * sum (beta_j - a * s0_j)^2 / 2: in message weights, so it weighs as much against a big corpus as a small one's few messages would.
    const lam = l2 * inv;
    let pen = 0;
    for (let j = 0; j < m; j++) {
      const d = theta[j]! - a * current[j]!;
      pen += d * d;
      grad[j]! += lam * d;
      gA -= lam * d * current[j]!;
    }
    grad[m] = gA;
    return loss + 0.5 * lam * pen;
  }
}

/** Clamp theta into the box: each beta within its sign bounds, a at least MIN_SCALE. */
function project(theta: Float64Array, p: FitProblem): void {
  const m = p.current.length;
  for (let j = 0; j < m; j++) {
    const v = theta[j]!;
    if (v < p.lower[j]!) theta[j] = p.lower[j]!;
    else if (v > p.upper[j]!) theta[j] = p.upper[j]!;
  }
  if (!(theta[m]! >= MIN_SCALE)) theta[m] = MIN_SCALE;
}

/** Fit the scores of `p` (see the file comment). */
export function fitScores(p: FitProblem, opts: FitOptions = {}): FitResult {
  const m = p.current.length;
  const maxIterations = opts.maxIterations ?? 3000;
  const tolerance = opts.tolerance ?? 1e-7;
  const f = new Objective(p);
  const n = m + 1;
  const x = new Float64Array(n);
  // Start from the current scores at one logit per point.
  for (let j = 0; j < m; j++) x[j] = p.current[j]!;
  x[m] = 1;
  project(x, p);
  let g = new Float64Array(n);
  let fx = f.eval(x, g);
  const history: number[] = [fx];
  const MEMORY = 10;
  const trial = new Float64Array(n);
  const d = new Float64Array(n);
  let gTrial = new Float64Array(n);
  let alpha = 1;
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    // Projected gradient at a unit step: the stopping test.
    let pgNorm = 0;
    for (let j = 0; j < n; j++) trial[j] = x[j]! - g[j]!;
    project(trial, p);
    for (let j = 0; j < n; j++) pgNorm = Math.max(pgNorm, Math.abs(trial[j]! - x[j]!));
    if (pgNorm < tolerance) {
      converged = true;
      break;
    }
    for (let j = 0; j < n; j++) trial[j] = x[j]! - alpha * g[j]!;
    project(trial, p);
    let slope = 0;
    for (let j = 0; j < n; j++) {
      d[j] = trial[j]! - x[j]!;
      slope += g[j]! * d[j]!;
    }
    const fmax = Math.max(...history);
    let lambda = 1;
    let ft: number;
    for (;;) {
      for (let j = 0; j < n; j++) trial[j] = x[j]! + lambda * d[j]!;
      ft = f.eval(trial, gTrial);
      if (ft <= fmax + 1e-4 * lambda * slope || lambda < 1e-12) break;
      lambda *= 0.5;
    }
    // Barzilai-Borwein step for the next iteration.
    let ss = 0;
    let sy = 0;
    for (let j = 0; j < n; j++) {
      const s = trial[j]! - x[j]!;
      ss += s * s;
      sy += s * (gTrial[j]! - g[j]!);
    }
    alpha = sy > 0 ? Math.min(1e10, Math.max(1e-10, ss / sy)) : 1e10;
    x.set(trial);
    const swapG = g;
    g = gTrial;
    gTrial = swapG;
    fx = ft;
    history.push(fx);
    if (history.length > MEMORY) history.shift();
    if (ss === 0) {
      converged = true;
      break;
    }
  }
  const a = x[m]!;
  const scores = new Float64Array(m);
  for (let j = 0; j < m; j++) scores[j] = x[j]! / a;
  return { scores, scale: a, iterations, evaluations: f.evaluations, loss: fx, converged };
}

/** Points of each row under `scores` (fitted rules) plus its offset. */
export function rowScores(hits: HitMatrix, offset: Float64Array, scores: Float64Array): Float64Array {
  const out = new Float64Array(hits.rows);
  for (let i = 0; i < hits.rows; i++) {
    let s = offset[i]!;
    for (let k = hits.rowStart[i]!; k < hits.rowStart[i + 1]!; k++) s += scores[hits.cols[k]!]!;
    out[i] = s;
  }
  return out;
}

/** Build a HitMatrix from per-row lists of rule indices. */
export function hitMatrix(rows: readonly (readonly number[])[]): HitMatrix {
  const rowStart = new Int32Array(rows.length + 1);
  let nnz = 0;
  for (let i = 0; i < rows.length; i++) {
    rowStart[i] = nnz;
    nnz += rows[i]!.length;
  }
  rowStart[rows.length] = nnz;
  const cols = new Int32Array(nnz);
  let k = 0;
  for (const r of rows) for (const c of r) cols[k++] = c;
  return { rows: rows.length, rowStart, cols };
}
