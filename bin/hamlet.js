#!/usr/bin/env node
process.exitCode = require('../dist/src/cli/hamlet.js').main(process.argv.slice(2));
