#!/usr/bin/env node
require('../dist/src/cli/hamlet-learn.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
