#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (npm run build writes dist/). The exit happens only
// after stdout has flushed, so a piped report is never cut short, and an
// open handle (a registry connection, a cache timer) cannot keep it running.

let cli;
try {
  cli = require('../dist/cli/main.js');
} catch (err) {
  console.error(
    `modelgate: cannot load dist/cli/main.js (npm run build): ${err.message}`,
  );
  process.exit(2);
}

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  // Touched only when `-` is given, so other runs never open stdin.
  get stdin() {
    return process.stdin;
  },
};

// A reader that goes away (`modelgate check . | head`) got no full report:
// end quietly, and not with a pass.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(1);
  throw err;
});

cli.main(process.argv.slice(2), io).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (err) => {
    // main() never throws; this is the last guard, and it fails closed.
    console.error(`modelgate: internal error: ${err && err.message}`);
    process.exit(1);
  },
);
