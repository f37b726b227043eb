/** Welcome/block lists (SpamAssassin WLBLEval, WelcomeListSubject, VBounce). */
import { subjectBounceEvals } from './lists-subject-bounce';
import { uriHostEvals } from './lists-uri-host';
import { wlblEvals } from './lists-wlbl';
import type { EvalDef } from './registry';

export const listEvals: readonly EvalDef[] = [...wlblEvals, ...uriHostEvals, ...subjectBounceEvals];
