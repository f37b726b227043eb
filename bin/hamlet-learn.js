#!/usr/bin/env node
// First, before any regex has run (see src/regex-flags.ts); an absolute path keeps Node's
// loader from running its relative-path regexes before the switch.
require(`${__dirname}/../dist/src/regex-flags.js`).compileRegexesFromFirstRun();
// Then the parsing workers, when the arguments learn from files, so they start while the rest loads.
require(`${__dirname}/../dist/src/cli/learn-early-start.js`).startEarly(process.argv.slice(2));
require('../dist/src/cli/hamlet-learn.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
