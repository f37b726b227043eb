#!/usr/bin/env node
// First, before any module runs a regex: V8 crashes (SIGSEGV) running a regex compiled before this flag changed.
require('node:v8').setFlagsFromString('--no-regexp-tier-up');
require('../dist/src/cli/hamletd.js').main(process.argv.slice(2)).then((code) => process.exit(code));
