/**
 * A suite that is skipped visibly. node:test counts a skipped `describe` as passed in its summary
 * (`# pass`), so a suite whose component cannot run would look green; this runs the suite when
 * `skip` is empty, else reports one skipped test under the suite's name (`# skipped`).
 * test/skips-visible.test.ts fails when a `describe(..., { skip })` comes back.
 */
import { describe, test } from 'node:test';

/** `describe(name, body)`, or one test skipped with the reason when `skip` is a string. */
export function suiteUnless(skip: string | false | undefined, name: string, body: () => void): void {
  if (typeof skip === 'string' && skip !== '') test(name, { skip }, () => {});
  else describe(name, body);
}
