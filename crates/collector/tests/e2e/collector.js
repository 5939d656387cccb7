// Starting the collector as a process for the end-to-end scripts (demo-page.js here, and the
// researcher console's crates/console/tests/e2e/console.js).
'use strict';

const { spawn } = require('child_process');
const readline = require('readline');

/**
 * Starts `bin` with `args` (which must make it listen on `127.0.0.1:0`) and returns
 * `{ child, base }`: the process, to kill when done, and a promise of its base URL once it
 * listens (rejected when it exits first or prints something else).
 */
function startCollector(bin, args) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: 'warn' } });
  const base = new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`the collector exited (${code}) before listening`)));
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]); else reject(new Error(`unexpected output: ${line}`));
    });
  });
  return { child, base };
}

module.exports = { startCollector };
