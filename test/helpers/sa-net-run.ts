/**
 * Run real SpamAssassin with network tests on against a `TestDnsServer`: a temp `-C` directory
 * with the system's site `.pre` files (plugin loaders), the TLD list URI rules need, and the
 * test's rules; its `X-Spam-Status` reduced to the rules that hit.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { TestDnsServer } from './dns-server';

export class SaNetRun {
  private constructor(
    private readonly dir: string,
    private readonly server: TestDnsServer,
  ) {}

  static create(server: TestDnsServer): SaNetRun {
    const dir = mkdtempSync(join(tmpdir(), 'hamlet-dns-sa-'));
    mkdirSync(join(dir, 'site'));
    mkdirSync(join(dir, 'rules'));
    for (const f of readdirSync('/etc/spamassassin')) if (f.endsWith('.pre')) copyFileSync(join('/etc/spamassassin', f), join(dir, 'site', f));
    copyFileSync('/usr/share/spamassassin/20_aux_tlds.cf', join(dir, 'rules', '20_aux_tlds.cf'));
    return new SaNetRun(dir, server);
  }

  /** Run SpamAssassin with `rules` (network on, the test server) on `message`; the rules that hit. */
  async hits(rules: readonly string[], message: string): Promise<Set<string>> {
    const cf = [
      'dns_available yes', 'clear_dns_servers', `dns_server ${this.server.spec}`, 'rbl_timeout 5 2',
      'trusted_networks 10.0.0.0/8 1.1.1.1', 'internal_networks 10.0.0.0/8', 'clear_originating_ip_headers',
      'originating_ip_headers X-Originating-IP', 'use_bayes 0', 'use_auto_whitelist 0', 'clear_headers',
      'add_header all Status tests=_TESTS_',
      ...rules,
    ];
    writeFileSync(join(this.dir, 'rules', '50_test.cf'), cf.join('\n') + '\n');
    const out = await new Promise<string>((resolve, reject) => {
      const args = ['-C', join(this.dir, 'rules'), '--siteconfigpath', join(this.dir, 'site'), '-x'];
      const child = execFile('spamassassin', args, { encoding: 'latin1' }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin!.end(message);
    });
    const m = /^X-Spam-Status: tests=([^\n]*(?:\n\s[^\n]*)*)/m.exec(out);
    assert.ok(m, 'SpamAssassin added its Status header');
    return new Set(m[1]!.split(/[\s,]+/).filter((t) => t !== '' && t !== 'none'));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A test file's DNS server and SpamAssassin directory, set up by its `before` hook. */
export interface SaNetEnv {
  server: TestDnsServer;
  sa: SaNetRun;
}

/** Register the hooks that start and stop a `SaNetEnv` (none when the file's tests are skipped). */
export function useSaNet(skip: string | false): SaNetEnv {
  const env = {} as SaNetEnv;
  before(async () => {
    if (skip) return;
    env.server = await TestDnsServer.start();
    env.sa = SaNetRun.create(env.server);
  });
  after(async () => {
    if (skip) return;
    await env.server.stop();
    env.sa.remove();
  });
  return env;
}
