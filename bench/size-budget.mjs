#!/usr/bin/env node
// Size budget of the shop bundle: the gzip bytes (zlib level 9, deterministic) of what a shop
// page loads from dist/ — the stable loader rapport.js and the hashed glue and wasm it names.
//
//   node bench/size-budget.mjs                 budget from bench/size-budget.json
//   node bench/size-budget.mjs 262144          budget in bytes
//   node bench/size-budget.mjs 100KiB          budget in KiB
//   node bench/size-budget.mjs --dist DIR      another dist folder
//
// Exit codes: 0 within the budget, 1 over it, 2 cannot check (no dist/, bad budget).
// Dependency-free (node:zlib) and fast: a test command can call it after `cargo xtask dist`.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(BENCH);
const KIB = 1024;

function fail(message) {
  console.error(`size-budget: ${message}`);
  process.exit(2);
}

function parseBudget(text, where) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(KiB|K|B)?\s*$/i.exec(String(text));
  if (!match) {
    fail(`${where}: "${text}" is not a size (bytes, or e.g. 100KiB)`);
  }
  const unit = (match[2] || 'B').toLowerCase();
  return Math.floor(Number(match[1]) * (unit === 'b' ? 1 : KIB));
}

let dist = path.join(REPO, 'dist');
let budgetArg = null;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--dist') {
    dist = path.resolve(args[++i] || fail('--dist needs a folder'));
  } else if (args[i] === '--help' || args[i] === '-h') {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 11)
      .map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  } else if (budgetArg === null) {
    budgetArg = args[i];
  } else {
    fail(`unexpected argument ${args[i]}`);
  }
}

let budget;
let source;
if (budgetArg !== null) {
  budget = parseBudget(budgetArg, 'argument');
  source = 'argument';
} else {
  const file = path.join(BENCH, 'size-budget.json');
  let config;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read ${path.relative(REPO, file)}: ${error.message}`);
  }
  budget = parseBudget(config.gzip_bytes, 'size-budget.json gzip_bytes');
  source = 'bench/size-budget.json';
}

const loaderPath = path.join(dist, 'rapport.js');
if (!existsSync(loaderPath)) {
  fail(`${path.relative(REPO, loaderPath) || loaderPath} does not exist: build it with \`cargo xtask dist\``);
}
// The hashed glue and wasm are the dist files the loader names (by name, so a minified
// loader works too); stale builds next to them are ignored.
const loader = readFileSync(loaderPath, 'utf8');
const named = readdirSync(dist).filter((name) => name !== 'rapport.js' && loader.includes(name));
const glue = named.filter((name) => name.endsWith('.js'));
const wasm = named.filter((name) => name.endsWith('.wasm'));
if (glue.length !== 1 || wasm.length !== 1) {
  fail(`dist/rapport.js should name exactly one .js glue and one .wasm file in dist/, ` +
    `found ${JSON.stringify(named)} (not built by \`cargo xtask dist\`?)`);
}
const files = ['rapport.js', glue[0], wasm[0]];

let raw = 0;
let gzip = 0;
const rows = files.map((name) => {
  const bytes = readFileSync(path.join(dist, name));
  const gz = zlib.gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += gz;
  return `  ${name.padEnd(36)} ${String(bytes.length).padStart(9)} B  ${String(gz).padStart(8)} B gzip`;
});

console.log(rows.join('\n'));
const kib = (n) => `${(n / KIB).toFixed(1)} KiB`;
const verdict = gzip <= budget ? 'within' : 'OVER';
console.log(`size-budget: ${gzip} B gzip (${kib(gzip)}; ${raw} B raw) — ${verdict} the budget of ${budget} B ` +
  `(${kib(budget)}, from ${source})${gzip <= budget ? `, ${budget - gzip} B to spare` : `, ${gzip - budget} B too many`}`);
process.exit(gzip <= budget ? 0 : 1);
