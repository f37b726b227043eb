/** Header checks (SpamAssassin HeaderEval), gathered from the header-*.ts files. */
import { headerContentEvals } from './header-content';
import { headerForgedEvals } from './header-forged';
import { headerRecipientEvals } from './header-recipients';
import { headerSenderEvals } from './header-sender';
import { headerDateEvals } from './header-shifted-date';
import type { EvalDef } from './registry';

export const headerCheckEvals: readonly EvalDef[] = [
  ...headerDateEvals,
  ...headerContentEvals,
  ...headerForgedEvals,
  ...headerSenderEvals,
  ...headerRecipientEvals,
];
