/**
 * The rescore report in a real browser: Debian's chromium, headless, driven by puppeteer-core,
 * opens the page hamlet-rescore --report wrote, and checks that every plot rendered (SVG marks
 * present, the expected titles), that nothing was fetched from outside the page and nothing
 * went to the console as an error, and saves a screenshot. Skipped (visibly) without chromium.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpusFiles } from '../helpers/corpus';

const ROOT = resolve(__dirname, '..', '..', '..');
const CHROMIUM = process.env.HAMLET_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

/** What the page shows per plot, read in the browser. */
interface PlotState {
  id: string;
  width: number;
  height: number;
  marks: number;
  text: string;
}

const EXPECTED: Record<string, RegExp> = {
  'histogram-0': /Score histogram: before/,
  'histogram-1': /Score histogram: after/,
  errors: /False positives and false negatives against the threshold/,
  rules: /Rules that matter most/,
};

test('the report page renders every plot in headless chromium, with no console errors and no fetches', { skip: haveChromium ? false : `no chromium at ${CHROMIUM}` }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hamlet-report-'));
  const profile = mkdtempSync(join(tmpdir(), 'hamlet-chromium-profile-'));
  t.after(() => rmSync(profile, { recursive: true, force: true }));
  const report = join(dir, 'report.html');
  const ham = corpusFiles('easy-ham-1').slice(0, 40);
  const spam = corpusFiles('spam-1').slice(0, 40);
  const r = spawnSync('node', [join(ROOT, 'bin', 'hamlet-rescore.js'), '-C', join(ROOT, 'rules'), '--siteconfigpath', dir, '-p', join(dir, 'none'), '--ham', ...ham, '--spam', ...spam, '--report', report], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);

  const puppeteer = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (q) => {
      if (!q.url().startsWith('file:')) outside.push(q.url());
    });
    await page.setViewport({ width: 1100, height: 900 });
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
    const plots: PlotState[] = await page.$$eval('figure.plot', (figs) =>
      figs.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: f.id,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          marks: svg ? svg.querySelectorAll('path, rect, line').length : 0,
          text: svg?.textContent ?? '',
        };
      }),
    );
    const summary = await page.$eval('#summary', (e) => e.textContent ?? '');
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);

    assert.deepEqual(plots.map((p) => p.id).sort(), Object.keys(EXPECTED).sort());
    for (const p of plots) {
      assert.ok(p.width > 200 && p.height > 100, `${p.id} is drawn at ${p.width}x${p.height}`);
      assert.ok(p.marks > 5, `${p.id} has ${p.marks} marks`);
      assert.match(p.text, EXPECTED[p.id]!, p.id);
    }
    // The histograms draw bars for both classes; the rules plot one bar per rule it lists.
    const bars = await page.$$eval('#histogram-0 svg .mark-rect path, #histogram-0 svg .mark-rect rect', (e) => e.length);
    assert.ok(bars > 4, `${bars} histogram bars`);
    assert.match(summary, /^train /m);
    assert.deepEqual(errors, [], 'no console errors');
    assert.deepEqual(outside, [], 'nothing fetched from outside the page');
  } finally {
    await browser.close();
  }
});
