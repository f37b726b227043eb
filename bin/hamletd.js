#!/usr/bin/env node
require('../dist/src/cli/hamletd.js').main(process.argv.slice(2)).then((code) => process.exit(code));
