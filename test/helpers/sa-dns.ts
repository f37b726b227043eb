/**
 * Run real SpamAssassin with network rules on against a TestDnsServer: a temp -C dir holding
 * the given rules, the system's site .pre files (plugin loaders) and the TLD list. For tests
 * that compare hamlet's network evals with SpamAssassin 4.0.1 on the same answers.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDnsServer } from './dns-server';

/** What SpamAssassin reported: the rules that hit and its `_RBL_` tag. */
export interface SaNetRun {
  readonly tests: Set<string>;
  readonly rbl: string;
}

/** A scratch configuration directory; `remove()` when done. */
export class SaDnsRunner {
  private readonly dir = mkdtempSync(join(tmpdir(), 'hamlet-sa-dns-'));

  constructor(private readonly server: TestDnsServer) {
    mkdirSync(join(this.dir, 'site'));
    mkdirSync(join(this.dir, 'rules'));
    for (const f of readdirSync('/etc/spamassassin')) if (f.endsWith('.pre')) copyFileSync(join('/etc/spamassassin', f), join(this.dir, 'site', f));
    copyFileSync('/usr/share/spamassassin/20_aux_tlds.cf', join(this.dir, 'rules', '20_aux_tlds.cf'));
  }

  /** Scan `message` with `rules` (after network-on settings pointing at the server). */
  async run(rules: readonly string[], message: string): Promise<SaNetRun> {
    const cf = [
      'dns_available yes', 'clear_dns_servers', `dns_server ${this.server.spec}`, 'use_bayes 0', 'clear_headers',
      'add_header all Status tests=_TESTS_', 'add_header all Rbl _RBL_', ...rules,
    ];
    writeFileSync(join(this.dir, 'rules', '50_test.cf'), cf.join('\n') + '\n');
    const out = await new Promise<string>((resolve, reject) => {
      const args = ['-C', join(this.dir, 'rules'), '--siteconfigpath', join(this.dir, 'site'), '-x'];
      const child = execFile('spamassassin', args, { encoding: 'latin1' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin!.end(message);
    });
    const head = out.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, '\n');
    const status = /^X-Spam-Status: tests=(.*)$/m.exec(head);
    if (!status) throw new Error('SpamAssassin added no Status header');
    const rbl = /^X-Spam-Rbl: ?((?:.*)(?:\n<.*)*)$/m.exec(head)?.[1] ?? '';
    return { tests: new Set(status[1]!.split(/[\s,]+/).filter((t) => t !== '' && t !== 'none')), rbl: rbl.trim() };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
