#!/usr/bin/env node
// First, before any regex has run (see src/regex-flags.ts); an absolute path keeps Node's
// loader from running its relative-path regexes before the switch.
require(`${__dirname}/../dist/src/regex-flags.js`).compileRegexesFromFirstRun();
require('../dist/src/cli/hamlet-rescore.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
