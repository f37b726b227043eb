/** Every eval function hamlet knows, active or recognised-but-inactive: the one registry. */
import { freemailEvals } from './freemail';
import { htmlStatEvals } from './html-stats';
import { INACTIVE_EVALS } from './inactive';
import { mimeFlagEvals } from './mime-flags';
import { buildRegistry, type EvalRegistry } from './registry';
import { senderDomainEvals } from './sender-domains';

export const EVAL_REGISTRY: EvalRegistry = buildRegistry([freemailEvals, htmlStatEvals, mimeFlagEvals, senderDomainEvals], INACTIVE_EVALS);
