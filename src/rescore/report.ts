/**
 * The HTML report of a rescoring run (or of any run that has per-message scores and labels,
 * such as bench:accuracy): one self-contained page, its plots as inline SVG rendered by
 * vega-lite and vega without a browser (`View.toSVG()` with renderer `none`), no external
 * fetches. vega 6 is an ES module only: it loads through `import()` on first use.
 */
import type { RescoreOutcome } from './run';
import { summaryText, tally } from './summary';

/** Per-message scores of one configuration ("before", "after", "SpamAssassin", ...). */
export interface ScoreRun {
  readonly name: string;
  readonly scores: ArrayLike<number>;
  /** 1 (or true) for spam, per message. */
  readonly spam: ArrayLike<number | boolean>;
}

/** A rule's weight in the run: its score and how many messages it hit. */
export interface RuleWeight {
  readonly name: string;
  readonly score: number;
  readonly hits: number;
}

export interface ReportInput {
  readonly title: string;
  readonly threshold: number;
  readonly runs: readonly ScoreRun[];
  readonly rules?: readonly RuleWeight[];
  /** Preformatted text shown above the plots (the run's figures). */
  readonly summary?: string;
  /** Preformatted text shown below the plots (the per-rule table). */
  readonly details?: string;
}

/** Scores beyond these are drawn at the edge, so one 1000-point GTUBE does not flatten the histogram. */
const CLAMP_LOW = -15;
const CLAMP_HIGH = 35;
const TOP_RULES = 30;

type Spec = Record<string, unknown>;

const clamp = (v: number): number => Math.max(CLAMP_LOW, Math.min(CLAMP_HIGH, v));
const isSpam = (v: number | boolean): boolean => v === true || v === 1;

/** The score range every histogram shares (so before and after line up), whole points around the clamped data and the threshold. */
function histogramExtent(runs: readonly ScoreRun[], threshold: number): [number, number] {
  let lo = threshold;
  let hi = threshold;
  for (const r of runs) {
    for (let i = 0; i < r.scores.length; i++) {
      const v = clamp(r.scores[i]!);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [Math.floor(lo), Math.floor(hi) + 1];
}

function histogramSpec(run: ScoreRun, threshold: number, extent: [number, number]): Spec {
  const values = Array.from({ length: run.scores.length }, (_, i) => ({ score: clamp(run.scores[i]!), class: isSpam(run.spam[i]!) ? 'spam' : 'ham' }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Score histogram: ${run.name}`,
    width: 560,
    height: 220,
    layer: [
      {
        data: { values },
        mark: { type: 'bar', opacity: 0.6 },
        encoding: {
          x: { field: 'score', type: 'quantitative', bin: { step: 1, extent }, title: `score (clamped to ${CLAMP_LOW}..${CLAMP_HIGH})` },
          y: { aggregate: 'count', type: 'quantitative', stack: null, title: 'messages' },
          color: { field: 'class', type: 'nominal', scale: { domain: ['ham', 'spam'], range: ['#2b7bba', '#d6404e'] } },
        },
      },
      { data: { values: [{ t: threshold }] }, mark: { type: 'rule', color: 'black', strokeDash: [4, 3] }, encoding: { x: { field: 't', type: 'quantitative' } } },
    ],
  };
}

/** FP and FN of every run at thresholds from -5 to 25: colour says which error, dashes which run. */
function errorCurveSpec(runs: readonly ScoreRun[], threshold: number): Spec {
  const values: { threshold: number; count: number; error: string; run: string }[] = [];
  for (const run of runs) {
    const labels = Array.from({ length: run.spam.length }, (_, i) => (isSpam(run.spam[i]!) ? 1 : 0));
    for (let t = -5; t <= 25; t += 0.5) {
      const c = tally(run.scores, labels, t);
      values.push({ threshold: t, count: c.fp, error: 'false positives', run: run.name }, { threshold: t, count: c.fn, error: 'false negatives', run: run.name });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'False positives and false negatives against the threshold',
    width: 560,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: 'line' },
        encoding: {
          x: { field: 'threshold', type: 'quantitative', title: 'required_score' },
          y: { field: 'count', type: 'quantitative', title: 'messages' },
          color: { field: 'error', type: 'nominal', scale: { domain: ['false positives', 'false negatives'], range: ['#2b7bba', '#d6404e'] }, title: null },
          strokeDash: { field: 'run', type: 'nominal', title: null },
          detail: { field: 'run', type: 'nominal' },
        },
      },
      { data: { values: [{ t: threshold }] }, mark: { type: 'rule', color: 'black', strokeDash: [4, 3] }, encoding: { x: { field: 't', type: 'quantitative' } } },
    ],
  };
}

function topRulesSpec(rules: readonly RuleWeight[]): Spec {
  const values = [...rules]
    .map((r) => ({ rule: r.name, weight: Math.abs(r.score) * r.hits, evidence: r.score >= 0 ? 'spam sign' : 'ham sign', score: r.score, hits: r.hits }))
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || (a.rule < b.rule ? -1 : 1))
    .slice(0, TOP_RULES);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Rules that matter most (|score| x hits)',
    width: 460,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'rule', type: 'nominal', sort: '-x', title: null },
      x: { field: 'weight', type: 'quantitative', title: '|score| x messages hit' },
      color: { field: 'evidence', type: 'nominal', scale: { domain: ['spam sign', 'ham sign'], range: ['#d6404e', '#2b7bba'] }, title: null },
    },
  };
}

/** Render one vega-lite spec to an SVG string, without a browser. */
async function svgOf(spec: Spec): Promise<string> {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The whole page. Each plot is a `<figure class="plot" id="...">` holding one `<svg>`. */
export async function reportHtml(input: ReportInput): Promise<string> {
  const plots: { id: string; caption: string; spec: Spec }[] = [];
  const extent = histogramExtent(input.runs, input.threshold);
  input.runs.forEach((run, k) => plots.push({ id: `histogram-${k}`, caption: `Scores of ham and spam, ${run.name}`, spec: histogramSpec(run, input.threshold, extent) }));
  plots.push({ id: 'errors', caption: 'FP and FN against the threshold', spec: errorCurveSpec(input.runs, input.threshold) });
  if (input.rules && input.rules.length > 0) plots.push({ id: 'rules', caption: 'The rules that matter most', spec: topRulesSpec(input.rules) });
  const figures: string[] = [];
  for (const p of plots) figures.push(`<figure class="plot" id="${p.id}">\n${await svgOf(p.spec)}\n<figcaption>${escapeHtml(p.caption)}</figcaption>\n</figure>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(input.title)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 12px; }
figure.plot { margin: 2em 0; }
figcaption { color: #555; font-size: 13px; }
</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
${input.summary !== undefined ? `<pre id="summary">${escapeHtml(input.summary)}</pre>` : ''}
${figures.join('\n')}
${input.details !== undefined ? `<pre id="details">${escapeHtml(input.details)}</pre>` : ''}
</body>
</html>
`;
}

/** The report of a rescoring run: histograms before and after, error curves, and the fitted rules' weights. */
export function rescoreReportHtml(r: RescoreOutcome): Promise<string> {
  const spam = r.design.spam;
  const hits = new Float64Array(r.design.names.length);
  for (const c of r.design.hits.cols) hits[c]!++;
  const text = summaryText(r.summary);
  const split = Math.max(0, text.search(/^rule /m));
  return reportHtml({
    title: 'hamlet-rescore report',
    threshold: r.summary.threshold,
    runs: [
      { name: 'before (scores as loaded)', scores: r.before, spam },
      { name: 'after (fitted scores)', scores: r.after, spam },
    ],
    rules: r.design.names.map((name, j) => ({ name, score: r.fitted[j]!, hits: hits[j]! })),
    // The figures first, the per-rule table (which can run to thousands of lines) after the plots.
    summary: text.slice(0, split),
    details: text.slice(split),
  });
}
