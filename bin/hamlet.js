#!/usr/bin/env node
// First, before any regex has run (see src/regex-flags.ts); absolute paths keep Node's
// loader from running its relative-path regexes before the switch.
const regexFlags = require(`${__dirname}/../dist/src/regex-flags.js`);
regexFlags.compileRegexesFromFirstRun();
const oneShot = require(`${__dirname}/../dist/src/cli/one-shot.js`);
if (oneShot.fewMessages(process.argv.slice(2))) {
  regexFlags.compileLongPatternsQuickly();
  oneShot.skipOptimisingCompiler();
  oneShot.keepYoungGenerationSmall();
  oneShot.useModuleCodeCache(process.argv.slice(2));
}
require('../dist/src/cli/hamlet.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
