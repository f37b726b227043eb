/** The settings both engines get in the benches: local tests only, Bayes, AWL and external tools off (as bench/sa/check.pl). */
export const LOCAL_ONLY_CF = [
  'use_bayes 0',
  'bayes_auto_learn 0',
  'skip_rbl_checks 1',
  'dns_available no',
  'use_razor2 0',
  'use_pyzor 0',
].join('\n');
