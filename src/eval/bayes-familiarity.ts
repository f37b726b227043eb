/**
 * `check_bayes_unfamiliar(max_known_share [, min_tokens])`: the site's Bayes database has
 * (almost) never seen text like this message's. Hits when Bayes ran, the visible body text has
 * at least `min_tokens` distinct tokens (default 1) and at most `max_known_share` (0..1) of them
 * are known to the database. hamlet's own eval: it reads the familiarity the scan's classification
 * measured from its one look-up, never the database again. Without Bayes it never hits.
 */
import type { EvalArg } from '../engine/types';
import type { EvalDef } from './registry';
import { numArg } from './registry';

function checkArgs(args: readonly EvalArg[]): string | undefined {
  const share = numArg(args, 0, NaN);
  if (!(share >= 0 && share <= 1)) return 'needs a known-token share between 0 and 1';
  if (args[1] !== undefined && !(numArg(args, 1, NaN) >= 0)) return 'the fewest body tokens must be a number, 0 or more';
  return undefined;
}

export const bayesFamiliarityEvals: readonly EvalDef[] = [
  {
    name: 'check_bayes_unfamiliar',
    areas: ['body'],
    validate: checkArgs,
    fn: (ctx, args) => {
      const bayes = ctx.bayes;
      if (!bayes?.familiarity) return false;
      const f = ctx.memo('bayes:familiarity', () => bayes.familiarity!(ctx.msg));
      if (f === undefined || f.bodyTokens < Math.max(1, numArg(args, 1, 1))) return false;
      return f.bodyKnown / f.bodyTokens <= numArg(args, 0, 0);
    },
  },
];
