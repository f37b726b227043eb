/**
 * hamlet's output against real SpamAssassin 4.0.1's on the same messages with the
 * same stock rules and settings: every X-Spam header (folding, stars, tests list,
 * Checker-Version), the rewritten headers, the report_safe 0/1/2 layouts and the
 * report, compared whole after normalisation (see sa-output.ts). Skipped when
 * `spamassassin` is not installed. About 1-2 s per SpamAssassin run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load';
import { checkMessage } from '../../src/check/index';
import { corpusMessage, type CorpusGroup } from '../helpers/corpus';
import { haveSpamAssassin, normaliseProduct, normaliseRows, runSpamAssassin, xSpamFields } from './sa-output';

const STOCK = '/usr/share/spamassassin';
const BASE = ['use_bayes 0', 'bayes_auto_learn 0'];

const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  default: [],
  rs0: [
    'report_safe 0',
    'rewrite_header Subject *****SPAM(_SCORE_)*****',
    'rewrite_header From (spam)',
    'rewrite_header To [SPAM]',
    'add_header all Custom Score _SCORE(0)_ hits=_HITS_ reqd=_REQD_ yes=_YESNO(spam,ham)_ caps=_YESNOCAPS_',
    'add_header spam Tests _TESTSSCORES(,)_',
    'remove_header ham Level',
  ],
  rs2: [
    'report_safe 2',
    'rewrite_header Subject [SPAM] _STARS(+)_',
    'report_safe_copy_headers Received X-Mailer',
    'report_charset iso-8859-1',
    'report_contact postmaster@example.com',
    'report_hostname mx.example.com',
  ],
  encoded: [
    'add_header all Subj _HEADER(Subject)_',
    'add_header all Long x _HEADER(Subject)_ _HEADER(Subject)_ _HEADER(Subject)_ end',
    'add_header all Prev _PREVIEW_',
  ],
  fold: [
    'report_safe 0',
    'fold_headers 0',
    'clear_headers',
    'add_header all Status _YESNO_, score=_SCORE_ required=_REQD_ tests=_TESTS_ autolearn=_AUTOLEARN_ version=_VERSION_',
    'add_header spam Multi line one\\nline two\\ttabbed',
    'clear_report_template',
    'report Score: _SCORE_ / _REQD_ _HOSTNAME_ _CONTACTADDRESS_',
    'report _REPORT_',
  ],
};

/** Messages on which hamlet's hits equal SpamAssassin's (Bayes off), spam and ham. */
const CASES: readonly [CorpusGroup, string, keyof typeof VARIANTS][] = [
  ['easy-ham-1', '00003', 'default'],
  ['hard-ham-1', '00007', 'default'], // 8-bit text: the preview wraps by bytes
  ['spam-2', '00002', 'default'], // HTML spam: report_safe 1, unsafe report, attachment
  ['spam-1', '00004', 'default'],
  ['spam-2', '00002', 'rs0'],
  ['spam-1', '00004', 'rs2'],
  ['spam-2', '00002', 'fold'],
  ['easy-ham-1', '02434', 'encoded'], // non-ASCII in added headers: RFC 2047 Q/B as SpamAssassin picks
];

const available = haveSpamAssassin();

test('hamlet marks and reports messages as SpamAssassin 4.0.1 does', { skip: !available && 'spamassassin not installed' }, async () => {
  const rules = new Map(Object.entries(VARIANTS).map(([k, cf]) => [k, loadConfig({ configPath: STOCK, siteConfigPath: '/etc/spamassassin', extraText: [...BASE, ...cf].join('\n') })]));
  // Two SpamAssassin processes at a time.
  const pending = CASES.map((c) => ({ c, sa: undefined as Promise<string> | undefined }));
  const start = (i: number) => {
    const p = pending[i];
    if (p && !p.sa) p.sa = runSpamAssassin(corpusMessage(p.c[0], p.c[1]), [...BASE, ...VARIANTS[p.c[2]]!]);
  };
  start(0);
  start(1);
  for (let i = 0; i < pending.length; i++) {
    const [group, id, variant] = pending[i]!.c;
    const sa = await pending[i]!.sa!;
    start(i + 2);
    const o = checkMessage(corpusMessage(group, id), rules.get(variant)!);
    const mine = Buffer.concat([o.marked, Buffer.from(o.report, 'utf8')]).toString('latin1');
    const what = `${group}/${id} ${variant}`;
    const [a, b] = [normaliseRows(normaliseProduct(mine)), normaliseRows(normaliseProduct(sa))];
    assert.deepEqual(xSpamFields(a), xSpamFields(b), `${what}: X-Spam headers`);
    assert.equal(a, b, `${what}: whole output`);
  }
});
