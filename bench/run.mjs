#!/usr/bin/env node
// Rapport performance bench: the same shop order-confirmation page (a) without a widget,
// (b) with Rapport from dist/, (c) with SurveyJS, both widgets showing the same 4-question
// survey; interleaved, shuffled runs at 1x and 4x CPU throttling in headless Chromium.
//
//   node bench/run.mjs [--runs N] [--throttle 1,4] [--seed S] [--settle MS] [--build]
//                      [--no-warmup] [--out DIR]
//   node bench/run.mjs --serve     (only serve the three pages, to look at them by hand)
//   node bench/run.mjs --report bench/results/latest.json   (re-summarise saved runs)
//   node bench/run.mjs --baseline DIR   (A/B: dist/ against another build's dist folder
//                                        instead of SurveyJS; the targets are not checked)
//
// Prints a table (medians and p25–p75, Rapport/SurveyJS ratios) and the targets of the
// "Performance" issue as PASS/FAIL, writes results/latest.json and results/latest.md.
// Exits 0 whatever the targets say (a benchmark, not a test); non-zero only when it cannot
// run at all. See bench/README.md.

import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(BENCH);
const DIST = path.join(REPO, 'dist');

const LABELS = { none: 'no widget', rapport: 'Rapport', surveyjs: 'SurveyJS', baseline: 'baseline' };

/** The page variants of a run: without a widget, Rapport, and what it is compared with. */
function variantsOf(options) {
  return ['none', 'rapport', otherOf(options)];
}

/** What Rapport is compared with: SurveyJS, or with --baseline another build of Rapport. */
function otherOf(options) {
  return options.baseline ? 'baseline' : 'surveyjs';
}
const COMMENT = 'Delivery took too long';
// What both widgets must post, normalised.
const EXPECTED = { nps: 3, csat: 4, choice: 'quality', comment: COMMENT };
const VIEWPORT = { width: 1280, height: 900 };
const STEP_TIMEOUT_MS = 20000;
const KIB = 1024;

// How a customer answers, per widget: NPS 3 → the comment appears → type → CSAT 4 → choice
// "quality" → submit. Each click waits until its target is visible and not moving.
const FLOWS = {
  rapport: [
    { click: ['.scale[data-scale="nps"] [role="radio"]', '3'] },
    { click: ['.button-primary', 'Continue'] },
    { click: ['textarea', null] },
    { type: COMMENT },
    { click: ['.button-primary', 'Continue'] },
    { click: ['.scale[data-scale="csat"] [role="radio"]', '4'] },
    { click: ['.button-primary', 'Continue'] },
    { click: ['label.option', 'The quality'] },
    { click: ['.button-primary', 'Submit'] }
  ],
  surveyjs: [
    { click: ['[data-name="nps"] .sd-rating__item', '3'] },
    { click: ['[data-name="comment"] textarea', null] },
    { type: COMMENT },
    { click: ['[data-name="csat"] .sd-rating__item', '4'] },
    { click: ['[data-name="choice"] label', 'The quality'] },
    { click: ['.sd-navigation__complete-btn', null] }
  ]
};
FLOWS.baseline = FLOWS.rapport;

// ---------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const options = {
    runs: 15,
    throttle: [1, 4],
    seed: Date.now() % 1000000,
    settle: 500,
    build: false,
    warmup: true,
    out: path.join(BENCH, 'results')
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) {
        throw new Error(`${arg} needs a value`);
      }
      return argv[++i];
    };
    if (arg === '--runs') {
      options.runs = Math.max(1, positiveInt(value(), arg));
    } else if (arg === '--throttle') {
      options.throttle = value().split(',').map((v) => {
        const rate = Number(v);
        if (!(rate >= 1)) {
          throw new Error(`--throttle: ${v} is not a rate ≥ 1`);
        }
        return rate;
      });
    } else if (arg === '--seed') {
      options.seed = positiveInt(value(), arg);
    } else if (arg === '--settle') {
      options.settle = positiveInt(value(), arg);
    } else if (arg === '--build') {
      options.build = true;
    } else if (arg === '--report') {
      options.report = path.resolve(value());
    } else if (arg === '--serve') {
      options.serve = true;
    } else if (arg === '--no-warmup') {
      options.warmup = false;
    } else if (arg === '--baseline') {
      options.baseline = path.resolve(value());
    } else if (arg === '--out') {
      options.out = path.resolve(value());
    } else if (arg === '--help' || arg === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 14)
        .map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${arg} (see --help)`);
    }
  }
  return options;
}

function positiveInt(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name}: ${text} is not a whole number`);
  }
  return n;
}

// ---------------------------------------------------------------------------------------
// The widget bundle

/**
 * The files of dist/ the shop loads: the stable loader and the hashed glue and wasm it names
 * (found by name in the loader's text, so a minified loader works too); null when incomplete.
 */
function distFiles(dir = DIST) {
  const loader = path.join(dir, 'rapport.js');
  if (!existsSync(loader)) {
    return null;
  }
  const text = readFileSync(loader, 'utf8');
  const named = readdirSync(dir).filter((name) => name !== 'rapport.js' && text.includes(name));
  const glue = named.filter((name) => name.endsWith('.js'));
  const wasm = named.filter((name) => name.endsWith('.wasm'));
  if (glue.length !== 1 || wasm.length !== 1) {
    return null;
  }
  return { dir, loader: 'rapport.js', glue: glue[0], wasm: wasm[0] };
}

function buildDist() {
  console.log('[bench] building dist/ with `cargo xtask dist` …');
  const env = { ...process.env };
  env.PATH = [path.join(REPO, 'tools', 'node_modules', '.bin'),
    path.join(os.homedir(), '.cargo', 'bin'), env.PATH].join(path.delimiter);
  const result = spawnSync('cargo', ['xtask', 'dist'], { cwd: REPO, env, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error('`cargo xtask dist` failed');
  }
}

function git(args) {
  const result = spawnSync('git', args, { cwd: REPO, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

// ---------------------------------------------------------------------------------------
// Node modules (pinned in bench/package.json; playwright-core also in tools/)

function loadPlaywright() {
  for (const base of [BENCH, path.join(REPO, 'tools')]) {
    try {
      return createRequire(path.join(base, 'package.json'))('playwright-core');
    } catch {
      // try the next place
    }
  }
  throw new Error('playwright-core is not installed: run `npm ci --prefix bench`');
}

function packageFile(pkg, file) {
  // Not require.resolve: survey-core's "exports" hide its package.json and its dist files.
  const root = path.join(BENCH, 'node_modules', pkg);
  if (!existsSync(path.join(root, 'package.json'))) {
    throw new Error(`${pkg} is not installed: run \`npm ci --prefix bench\``);
  }
  return path.join(root, file);
}

function packageVersion(pkg) {
  return JSON.parse(readFileSync(packageFile(pkg, 'package.json'), 'utf8')).version;
}

// ---------------------------------------------------------------------------------------
// The server: shop pages, both widgets' files and the acknowledging endpoint, one origin

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm'
};

/** Wall-clock milliseconds with sub-millisecond resolution (comparable to a page's epoch). */
function nodeEpoch() {
  return performance.timeOrigin + performance.now();
}

function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length
      }
    }).length
  };
}

function startServer(dist, baseline) {
  const files = new Map(); // URL path → { bytes, type, sizes }
  const add = (urlPath, file) => {
    const bytes = readFileSync(file);
    files.set(urlPath, { bytes, type: TYPES[path.extname(file)] || 'application/octet-stream', sizes: sizes(bytes) });
  };
  for (const name of [dist.loader, dist.glue, dist.wasm]) {
    add(`/rapport/${name}`, path.join(dist.dir, name));
  }
  for (const name of baseline ? [baseline.loader, baseline.glue, baseline.wasm] : []) {
    add(`/baseline/${name}`, path.join(baseline.dir, name));
  }
  add('/bench/surveys/bench.json', path.join(BENCH, 'surveys', 'bench.json'));
  add('/surveyjs/survey.core.min.js', packageFile('survey-core', 'survey.core.min.js'));
  add('/surveyjs/survey-js-ui.min.js', packageFile('survey-js-ui', 'survey-js-ui.min.js'));
  add('/surveyjs/survey-core.fontless.min.css', packageFile('survey-core', 'survey-core.fontless.min.css'));
  add('/surveyjs/boot.js', path.join(BENCH, 'pages', 'surveyjs-boot.js'));
  add('/surveyjs/bench.surveyjs.json', path.join(BENCH, 'surveys', 'bench.surveyjs.json'));

  const page = (name) => readFileSync(path.join(BENCH, 'pages', name), 'utf8');
  const shop = page('shop.html');
  const snippets = {
    none: { head: '', body: '' },
    rapport: { head: '', body: page('rapport.snippet.html') },
    baseline: { head: '', body: page('rapport.snippet.html').replace('/rapport/rapport.js', '/baseline/rapport.js') },
    surveyjs: { head: page('surveyjs.head.html'), body: page('surveyjs.snippet.html') }
  };

  const acks = new Map(); // run id → ack
  const waiters = new Map(); // run id → resolve
  let origin = null;

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const send = (status, type, body) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.method === 'POST' && url.pathname.startsWith('/ack/')) {
      const run = url.pathname.slice('/ack/'.length);
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        const arrival = nodeEpoch();
        let body = null;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = { unparsable: Buffer.concat(chunks).toString('utf8') };
        }
        const ack = {
          arrival,
          body,
          headers: {
            contentType: req.headers['content-type'] || null,
            idempotencyKey: req.headers['idempotency-key'] || null
          }
        };
        if (!acks.has(run)) {
          acks.set(run, ack);
        }
        send(201, 'application/json', '{"ok":true}');
        const waiter = waiters.get(run);
        if (waiter) {
          waiters.delete(run);
          waiter(ack);
        }
      });
      return;
    }
    if (req.method !== 'GET') {
      send(405, 'text/plain', 'method not allowed');
      return;
    }
    const shopMatch = /^\/shop\/([a-z]+)\.html$/.exec(url.pathname);
    if (shopMatch && snippets[shopMatch[1]]) {
      const run = url.searchParams.get('run') || 'none';
      const fill = (text) => text.replaceAll('{{ORIGIN}}', origin).replaceAll('{{RUN}}', run);
      const snippet = snippets[shopMatch[1]];
      const html = shop.replace('<!--BENCH:HEAD-->', fill(snippet.head)).replace('<!--BENCH:WIDGET-->', fill(snippet.body));
      send(200, TYPES['.html'], html);
      return;
    }
    if (url.pathname === '/blank.html') {
      send(200, TYPES['.html'], '<!doctype html><link rel="icon" href="data:,"><title>blank</title>');
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, { 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const file = files.get(url.pathname);
    if (!file) {
      send(404, 'text/plain', 'not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store', 'Content-Length': file.bytes.length });
    res.end(file.bytes);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        origin,
        files,
        close: () => new Promise((done) => server.close(done)),
        /** The first acknowledgment of `run`, waiting up to `timeout` ms for it. */
        waitAck(run, timeout) {
          if (acks.has(run)) {
            return Promise.resolve(acks.get(run));
          }
          return new Promise((done, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(run);
              fail(new Error(`no POST reached the endpoint within ${timeout} ms`));
            }, timeout);
            waiters.set(run, (ack) => {
              clearTimeout(timer);
              done(ack);
            });
          });
        }
      });
    });
  });
}

// ---------------------------------------------------------------------------------------
// One run

async function evaluate(cdp, expression) {
  const result = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
  if (result.exceptionDetails) {
    const details = result.exceptionDetails;
    throw new Error((details.exception && details.exception.description) || details.text);
  }
  return result.result.value;
}

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const out = {};
  for (const { name, value } of list) {
    out[name] = value;
  }
  return {
    script: out.ScriptDuration * 1000,
    task: out.TaskDuration * 1000,
    heap: out.JSHeapUsedSize
  };
}

/** Page epoch − Node epoch, from the evaluation with the shortest round trip. */
async function clockOffset(cdp) {
  let best = null;
  for (let i = 0; i < 3; i++) {
    const before = nodeEpoch();
    const pageEpoch = await evaluate(cdp, 'performance.timeOrigin + performance.now()');
    const after = nodeEpoch();
    if (!best || after - before < best.rtt) {
      best = { rtt: after - before, offset: pageEpoch - (before + after) / 2 };
    }
  }
  return best;
}

function taskSummary(tasks) {
  return {
    count: tasks.length,
    total: tasks.reduce((sum, t) => sum + t.duration, 0),
    longest: tasks.reduce((max, t) => Math.max(max, t.duration), 0),
    tasks
  };
}

function normalise(variant, body) {
  const answers = (body && body.answers) || {};
  const pick = (key) => {
    const value = answers[key];
    if (value === undefined || value === null) {
      return null;
    }
    return variant === 'surveyjs' ? value : (value.value ?? null);
  };
  return { nps: pick('nps'), csat: pick('csat'), choice: pick('choice'), comment: pick('comment') };
}

function sameAnswers(a, b) {
  return ['nps', 'csat', 'choice', 'comment'].every((k) => a[k] === b[k]);
}

function payloadOf(urls, server) {
  const files = [];
  const external = [];
  for (const raw of urls) {
    const url = new URL(raw);
    if (url.origin !== server.origin) {
      external.push(raw);
      continue;
    }
    if (url.pathname.startsWith('/shop/') || url.pathname.startsWith('/ack/') || url.pathname === '/blank.html') {
      continue;
    }
    const file = server.files.get(url.pathname);
    files.push({ path: url.pathname, ...(file ? file.sizes : { raw: 0, gzip: 0, brotli: 0, missing: true }) });
  }
  const total = (key) => files.reduce((sum, f) => sum + f[key], 0);
  return { raw: total('raw'), gzip: total('gzip'), brotli: total('brotli'), files, external };
}

async function runOnce(browser, server, plan, options) {
  const { variant, rate, id } = plan;
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const record = { id, variant, rate, round: plan.round, ok: false };
  try {
    await context.addInitScript({ path: path.join(BENCH, 'pages', 'probe.js') });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') {
        consoleErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    const cdp = await context.newCDPSession(page);
    // A same-origin blank page first, so the throttled renderer is the one the shop page uses.
    await page.goto(`${server.origin}/blank.html`);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const urls = [];
    page.on('request', (request) => urls.push(request.url()));
    const start = await metrics(cdp);

    await page.goto(`${server.origin}/shop/${variant}.html?run=${id}`, { waitUntil: 'commit' });
    const loading = await evaluate(cdp,
      `window.__bench.loadingDone(${options.settle}, ${STEP_TIMEOUT_MS})`);
    if (loading.variant !== variant) {
      throw new Error(`probe saw variant ${loading.variant}`);
    }
    const loadedMetrics = await metrics(cdp);
    await cdp.send('HeapProfiler.collectGarbage');
    const loadedHeap = await metrics(cdp);

    record.firstQuestion = loading.firstQuestion;
    record.domContentLoaded = loading.domContentLoaded;
    record.loadEvent = loading.loadEvent;
    const lcp = loading.lcp[loading.lcp.length - 1] || null;
    record.lcp = lcp ? lcp.time : null;
    record.lcpElement = lcp ? lcp.element || '(in a shadow root)' : null;
    record.scriptLoading = loadedMetrics.script - start.script;
    record.taskLoading = loadedMetrics.task - start.task;
    record.heapLoaded = loadedHeap.heap;
    record.wasmMemoryLoaded = loading.wasmMemory;
    record.longLoading = taskSummary(loading.longtasks.filter((t) => t.start < loading.loadingEnd));
    // Of those, the ones that began before the page's own load event (for Rapport: while only
    // its loader had run, since the widget starts after that event).
    record.longBeforeLoad = taskSummary(record.longLoading.tasks.filter((t) =>
      record.loadEvent !== null && record.loadEvent !== undefined && t.start < record.loadEvent));
    // And the others: those after the load event, where Rapport does all its work.
    record.longAfterLoad = taskSummary(record.longLoading.tasks.filter((t) =>
      !record.longBeforeLoad.tasks.includes(t)));

    if (variant !== 'none') {
      const ackPromise = server.waitAck(id, STEP_TIMEOUT_MS * 2);
      ackPromise.catch(() => {}); // awaited below
      // How long each step waited for its target (widget reaction + harness pacing).
      record.steps = [];
      let lastClick = null;
      for (const step of FLOWS[variant]) {
        const before = nodeEpoch();
        if (step.click) {
          const [selector, text] = step.click;
          const at = await evaluate(cdp,
            `window.__bench.waitFor(${JSON.stringify(selector)}, ${JSON.stringify(text)}, ${STEP_TIMEOUT_MS})`);
          const found = nodeEpoch();
          lastClick = found;
          await page.mouse.click(at.x, at.y);
          record.steps.push({ target: text === null ? selector : `${selector} "${text}"`, wait: found - before,
            click: nodeEpoch() - found });
        } else if (step.type) {
          await page.keyboard.type(step.type);
          record.steps.push({ type: step.type.length, took: nodeEpoch() - before });
        }
      }
      const ack = await ackPromise;
      record.submitToAck = ack.arrival - lastClick;
      await new Promise((resolve) => setTimeout(resolve, options.settle));
      const answered = await evaluate(cdp, 'window.__bench.snapshot()');
      const answeredMetrics = await metrics(cdp);
      const clock = await clockOffset(cdp);
      await cdp.send('HeapProfiler.collectGarbage');
      record.heapAnswered = (await metrics(cdp)).heap;
      record.wasmMemoryAnswered = (await evaluate(cdp, 'window.__bench.snapshot()')).wasmMemory;
      const click = answered.firstClick;
      record.clickToAck = ack.arrival + clock.offset - click.epoch;
      record.clockRtt = clock.rtt;
      record.scriptTotal = answeredMetrics.script - start.script;
      record.taskTotal = answeredMetrics.task - start.task;
      record.longAnswering = taskSummary(answered.longtasks.filter(
        (t) => t.start >= loading.loadingEnd && t.start + t.duration >= click.time));
      record.longBetween = answered.longtasks.filter(
        (t) => t.start >= loading.loadingEnd && t.start + t.duration < click.time).length;
      record.answers = normalise(variant, ack.body);
      record.answersAsExpected = sameAnswers(record.answers, EXPECTED);
      record.headers = ack.headers;
    }
    // Everything the page loaded beyond itself, answering included (lazy loads count too).
    record.payload = payloadOf(urls, server);
    record.errors = consoleErrors.concat(loading.errors || []);
    record.ok = true;
  } catch (error) {
    record.error = String(error && error.message ? error.message : error);
  } finally {
    await context.close().catch(() => {});
  }
  return record;
}

// ---------------------------------------------------------------------------------------
// Plan: one warm-up round, then N rounds; every round runs each cell once, in shuffled order

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makePlan(options) {
  const random = mulberry32(options.seed);
  const cells = [];
  for (const rate of options.throttle) {
    for (const variant of variantsOf(options)) {
      cells.push({ variant, rate });
    }
  }
  const plan = [];
  const first = options.warmup ? 0 : 1;
  for (let round = first; round <= options.runs; round++) {
    const order = cells.slice();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const cell of order) {
      plan.push({ ...cell, round, warmup: round === 0, id: `r${round}-${cell.variant}-${cell.rate}x` });
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------------------
// Statistics and report

function quantile(sorted, q) {
  if (sorted.length === 0) {
    return null;
  }
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function stats(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) {
    return null;
  }
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1]
  };
}

const METRICS = [
  { key: 'payloadRaw', label: 'payload raw', unit: 'KiB', get: (r) => r.payload.raw, widget: true },
  { key: 'payloadGzip', label: 'payload gzip', unit: 'KiB', get: (r) => r.payload.gzip, widget: true },
  { key: 'payloadBrotli', label: 'payload brotli', unit: 'KiB', get: (r) => r.payload.brotli, widget: true },
  { key: 'firstQuestion', label: 'first question visible', unit: 'ms', get: (r) => r.firstQuestion, widget: true },
  { key: 'scriptLoading', label: 'scripting until shown', unit: 'ms', get: (r) => r.scriptLoading },
  { key: 'scriptTotal', label: 'scripting incl. answering', unit: 'ms', get: (r) => r.scriptTotal, widget: true },
  { key: 'heapLoaded', label: 'JS heap after load (GC)', unit: 'KiB', get: (r) => r.heapLoaded },
  { key: 'wasmMemoryLoaded', label: 'wasm linear memory', unit: 'KiB', get: (r) => r.wasmMemoryLoaded },
  { key: 'heapWasmLoaded', label: 'JS heap + wasm memory', unit: 'KiB', get: (r) => r.heapLoaded + r.wasmMemoryLoaded },
  { key: 'longLoadingCount', label: 'long tasks loading: count', unit: 'n', get: (r) => r.longLoading.count },
  { key: 'longLoadingLongest', label: 'long tasks loading: longest', unit: 'ms', get: (r) => r.longLoading.longest },
  { key: 'longBeforeLoadCount', label: 'of these, begun before host load event', unit: 'n',
    get: (r) => (r.longBeforeLoad ? r.longBeforeLoad.count : null) },
  { key: 'longAfterLoadLongest', label: 'longest begun after host load event', unit: 'ms',
    get: (r) => (r.longAfterLoad ? r.longAfterLoad.longest : null) },
  { key: 'longAnsweringCount', label: 'long tasks answering: count', unit: 'n',
    get: (r) => r.longAnswering.count, widget: true },
  { key: 'longAnsweringLongest', label: 'long tasks answering: longest', unit: 'ms',
    get: (r) => r.longAnswering.longest, widget: true },
  { key: 'clickToAck', label: 'first click → endpoint ack', unit: 'ms', get: (r) => r.clickToAck, widget: true },
  { key: 'submitToAck', label: 'submit click → endpoint ack', unit: 'ms', get: (r) => r.submitToAck, widget: true },
  { key: 'loadEvent', label: 'host load event', unit: 'ms', get: (r) => r.loadEvent },
  { key: 'lcp', label: 'host LCP', unit: 'ms', get: (r) => r.lcp }
];

function summarise(records, options) {
  const cells = {};
  for (const rate of options.throttle) {
    for (const variant of variantsOf(options)) {
      const runs = records.filter((r) => r.rate === rate && r.variant === variant && r.ok);
      const failed = records.filter((r) => r.rate === rate && r.variant === variant && !r.ok);
      const summary = {};
      for (const metric of METRICS) {
        if (metric.widget && variant === 'none') {
          continue;
        }
        summary[metric.key] = stats(runs.map((r) => metric.get(r)));
      }
      const lcpElements = {};
      for (const r of runs) {
        lcpElements[r.lcpElement] = (lcpElements[r.lcpElement] || 0) + 1;
      }
      const withLong = (key) => runs.filter((r) => r[key] && r[key].count > 0).length;
      cells[`${variant}@${rate}x`] = {
        variant,
        rate,
        runs: runs.length,
        failed: failed.map((r) => ({ id: r.id, error: r.error })),
        summary,
        lcpElements,
        runsWithLongTaskLoading: withLong('longLoading'),
        runsWithLongTaskBeforeLoad: withLong('longBeforeLoad'),
        runsWithLongTaskAfterLoad: withLong('longAfterLoad'),
        longTasksLoading: runs.reduce((n, r) => n + r.longLoading.count, 0),
        longTasksBeforeLoad: runs.reduce((n, r) => n + (r.longBeforeLoad ? r.longBeforeLoad.count : 0), 0),
        runsWithLongTaskAnswering: variant === 'none' ? null : withLong('longAnswering'),
        longestTaskLoading: Math.max(0, ...runs.map((r) => r.longLoading.longest)),
        longestTaskAnswering: variant === 'none' ? null : Math.max(0, ...runs.map((r) => r.longAnswering.longest)),
        payloadFiles: runs.length ? runs[0].payload.files : [],
        errors: [...new Set(runs.flatMap((r) => r.errors || []))]
      };
    }
  }
  return cells;
}

function formatValue(value, unit) {
  if (value === null || value === undefined) {
    return '—';
  }
  if (unit === 'KiB') {
    const kib = value / KIB;
    return kib >= 100 ? kib.toFixed(0) : kib.toFixed(1);
  }
  if (unit === 'n') {
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function formatStats(s, unit) {
  if (!s) {
    return '—';
  }
  const median = formatValue(s.median, unit);
  if (s.p25 === s.p75) {
    return median;
  }
  return `${median} (${formatValue(s.p25, unit)}–${formatValue(s.p75, unit)})`;
}

function ratio(a, b) {
  if (!a || !b || b.median === 0) {
    return a && b && a.median === 0 && b.median === 0 ? '—' : (a && b ? (a.median === 0 ? '0' : '∞') : '—');
  }
  return (a.median / b.median).toFixed(2);
}

function tables(cells, options) {
  const out = [];
  for (const rate of options.throttle) {
    const none = cells[`none@${rate}x`];
    const rapport = cells[`rapport@${rate}x`];
    const other = otherOf(options);
    const compared = cells[`${other}@${rate}x`];
    const rows = [[`${rate}x CPU`, LABELS.none, LABELS.rapport, LABELS[other], `Rapport/${LABELS[other]}`]];
    for (const metric of METRICS) {
      const unit = metric.unit === 'n' ? '' : ` (${metric.unit})`;
      const r = rapport.summary[metric.key];
      const s = compared.summary[metric.key];
      rows.push([
        metric.label + unit,
        metric.widget ? '—' : formatStats(none.summary[metric.key], metric.unit),
        formatStats(r, metric.unit),
        formatStats(s, metric.unit),
        ratio(r, s)
      ]);
    }
    rows.push(['runs (failed)', `${none.runs} (${none.failed.length})`, `${rapport.runs} (${rapport.failed.length})`,
      `${compared.runs} (${compared.failed.length})`, '']);
    out.push({ rate, rows });
  }
  return out;
}

function markdownTable(rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  const align = rows[0].map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(rows[0]), line(align), ...rows.slice(1).map(line)].join('\n');
}

function textTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------
// Targets (issue "Performance")

function targets(cells, options) {
  const out = [];
  if (options.baseline) {
    return out; // an A/B of two builds: the targets compare with SurveyJS
  }
  const add = (name, pass, detail) => out.push({ name, pass, detail });
  const fmt = (v, unit) => formatValue(v, unit) + (unit === 'n' ? '' : ` ${unit}`);
  const top = Math.max(...options.throttle);
  const cell = (variant, rate) => cells[`${variant}@${rate}x`];
  const median = (variant, rate, key) => {
    const s = cell(variant, rate).summary[key];
    return s ? s.median : null;
  };
  const anyRate = options.throttle[0];

  const rGzip = median('rapport', anyRate, 'payloadGzip');
  const sGzip = median('surveyjs', anyRate, 'payloadGzip');
  add('Rapport payload ≤ 100 KiB gzip', rGzip !== null && rGzip <= 100 * KIB,
    `${fmt(rGzip, 'KiB')} gzip (loader, glue, wasm and the survey definition)`);
  add('Rapport payload ≤ 1/4 of SurveyJS (gzip)', rGzip !== null && sGzip !== null && rGzip <= sGzip / 4,
    `${fmt(rGzip, 'KiB')} vs ${fmt(sGzip, 'KiB')}: ratio ${(rGzip / sGzip).toFixed(2)}`);

  const rFirst = median('rapport', top, 'firstQuestion');
  const sFirst = median('surveyjs', top, 'firstQuestion');
  add(`first question at ${top}x ≤ 1/3 of SurveyJS's`, rFirst !== null && sFirst !== null && rFirst <= sFirst / 3,
    `${fmt(rFirst, 'ms')} vs ${fmt(sFirst, 'ms')}: ratio ${(rFirst / sFirst).toFixed(2)}`);

  // "No long task": in at most 10% of the runs (one in 15), to tolerate a hiccup of the machine.
  const r = cell('rapport', top);
  const allowed = Math.floor(r.runs * 0.1);
  add(`no long task > 50 ms at ${top}x while loading (Rapport)`, r.runs > 0 && r.runsWithLongTaskLoading <= allowed,
    `${r.runsWithLongTaskLoading} of ${r.runs} runs had one (at most ${allowed} allowed); median ` +
    `${fmt(median('rapport', top, 'longLoadingCount'), 'n')} per run, longest ${fmt(r.longestTaskLoading, 'ms')}; ` +
    `${r.longTasksBeforeLoad} of its ${r.longTasksLoading} such tasks began before the page's load event ` +
    `(the page without a widget had one in ${cell('none', top).runsWithLongTaskLoading} of ${cell('none', top).runs} runs); ` +
    `${r.runsWithLongTaskAfterLoad} of ${r.runs} runs had one after the load event, where the widget does its work`);
  add(`no long task > 50 ms at ${top}x while answering (Rapport)`, r.runs > 0 && r.runsWithLongTaskAnswering <= allowed,
    `${r.runsWithLongTaskAnswering} of ${r.runs} runs had one (at most ${allowed} allowed); median ` +
    `${fmt(median('rapport', top, 'longAnsweringCount'), 'n')} per run, longest ${fmt(r.longestTaskAnswering, 'ms')}`);

  for (const rate of options.throttle) {
    const rHeap = median('rapport', rate, 'heapLoaded');
    const sHeap = median('surveyjs', rate, 'heapLoaded');
    add(`JS heap below SurveyJS's at ${rate}x`, rHeap !== null && sHeap !== null && rHeap < sHeap,
      `${fmt(rHeap, 'KiB')} vs ${fmt(sHeap, 'KiB')} (JSHeapUsedSize after GC, widget shown)`);
    const rAll = median('rapport', rate, 'heapWasmLoaded');
    const sAll = median('surveyjs', rate, 'heapWasmLoaded');
    add(`JS heap + wasm memory below SurveyJS's at ${rate}x`, rAll !== null && sAll !== null && rAll < sAll,
      `${fmt(rAll, 'KiB')} vs ${fmt(sAll, 'KiB')} (JSHeapUsedSize counts no WebAssembly memory; ` +
      `Rapport's linear memory is ${fmt(median('rapport', rate, 'wasmMemoryLoaded'), 'KiB')})`);
  }

  for (const rate of options.throttle) {
    for (const [key, label] of [['loadEvent', 'load event'], ['lcp', 'LCP']]) {
      const base = cell('none', rate).summary[key];
      const with_ = cell('rapport', rate).summary[key];
      if (!base || !with_) {
        add(`host ${label} not delayed at ${rate}x`, false, 'no data');
        continue;
      }
      const delay = with_.median - base.median;
      // The host page's own run-to-run spread: the p25–p75 width without a widget.
      const spread = base.p75 - base.p25;
      add(`host ${label} not delayed at ${rate}x`, delay <= spread,
        `${fmt(with_.median, 'ms')} with Rapport vs ${fmt(base.median, 'ms')} without: ${delay >= 0 ? '+' : ''}${delay.toFixed(1)} ms, ` +
        `run-to-run spread (p25–p75 width without widget) ${spread.toFixed(1)} ms`);
    }
  }
  return out;
}

function equivalence(records, other) {
  const ok = records.filter((r) => r.ok && r.answers);
  const by = (variant) => ok.filter((r) => r.variant === variant);
  const sample = (variant) => (by(variant)[0] || {}).answers || null;
  const allExpected = (variant) => by(variant).every((r) => r.answersAsExpected);
  const rapport = sample('rapport');
  const surveyjs = sample(other);
  return {
    expected: EXPECTED,
    rapport,
    surveyjs,
    rapportRunsAsExpected: by('rapport').filter((r) => r.answersAsExpected).length,
    surveyjsRunsAsExpected: by(other).filter((r) => r.answersAsExpected).length,
    rapportRuns: by('rapport').length,
    surveyjsRuns: by(other).length,
    same: Boolean(rapport && surveyjs && sameAnswers(rapport, surveyjs) && allExpected('rapport') && allExpected(other))
  };
}

// ---------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.report) {
    // Re-summarise saved runs (e.g. after changing a target's rule) without measuring again.
    const saved = JSON.parse(readFileSync(options.report, 'utf8'));
    Object.assign(options, {
      runs: saved.meta.runsPerCell,
      throttle: saved.meta.throttle,
      seed: saved.meta.seed,
      baseline: saved.meta.baseline ? saved.meta.baseline.dir : undefined
    });
    report(saved.meta, saved.runs, options);
    return;
  }
  let dist = distFiles();
  if (options.build || !dist) {
    buildDist();
    dist = distFiles();
    if (!dist) {
      throw new Error('dist/ has no usable rapport.js after `cargo xtask dist`');
    }
  }
  let baseline = null;
  if (options.baseline) {
    baseline = distFiles(options.baseline);
    if (!baseline) {
      throw new Error(`--baseline: ${options.baseline} has no rapport.js naming one glue and one wasm file`);
    }
  }
  const server = await startServer(dist, baseline);
  if (options.serve) {
    // For looking at the pages by hand; the endpoint acknowledges every POST.
    for (const variant of variantsOf(options)) {
      console.log(`${LABELS[variant].padEnd(10)} ${server.origin}/shop/${variant}.html`);
    }
    console.log('[bench] serving until interrupted (Ctrl-C)');
    return;
  }
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run']
  });
  const cpus = os.cpus();
  const meta = {
    date: new Date().toISOString(),
    chromium: browser.version(),
    cpu: cpus.length ? cpus[0].model.trim() : 'unknown',
    cores: cpus.length,
    memory: `${Math.round(os.totalmem() / KIB ** 3)} GiB`,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    playwrightCore: requireBenchVersion('playwright-core'),
    surveyjs: { 'survey-core': packageVersion('survey-core'), 'survey-js-ui': packageVersion('survey-js-ui') },
    baseline,
    rapport: { dist, commit: git(['rev-parse', '--short', 'HEAD']), dirty: Boolean(git(['status', '--porcelain', '--', 'src', 'loader', 'Cargo.toml', 'Cargo.lock'])) },
    runsPerCell: options.runs,
    throttle: options.throttle,
    seed: options.seed,
    settleMs: options.settle,
    warmup: options.warmup,
    viewport: VIEWPORT,
    origin: server.origin
  };
  const plan = makePlan(options);
  console.log(`[bench] ${meta.date} · Chromium ${meta.chromium} · ${meta.cores} × ${meta.cpu}`);
  console.log(`[bench] ${plan.length} runs (${options.runs} per cell${options.warmup ? ' + 1 warm-up round' : ''}), ` +
    `CPU ${options.throttle.map((t) => `${t}x`).join('/')}, seed ${options.seed}, server ${server.origin}`);

  const records = [];
  const started = Date.now();
  try {
    for (let i = 0; i < plan.length; i++) {
      const record = await runOnce(browser, server, plan[i], options);
      record.warmup = plan[i].warmup;
      records.push(record);
      const note = record.ok
        ? `first question ${formatValue(record.firstQuestion, 'ms')} ms, load ${formatValue(record.loadEvent, 'ms')} ms` +
          (record.clickToAck !== undefined ? `, click→ack ${formatValue(record.clickToAck, 'ms')} ms` : '')
        : `FAILED: ${record.error}`;
      process.stdout.write(`[bench] ${String(i + 1).padStart(3)}/${plan.length} ${record.id.padEnd(22)} ${note}\n`);
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
  meta.durationSeconds = Math.round((Date.now() - started) / 1000);

  report(meta, records, options);
  console.log(`[bench] ${meta.durationSeconds} s`);
}

/** Summarises `records` (warm-up runs left out), prints the tables and targets, writes the files. */
function report(meta, records, options) {
  const measured = records.filter((r) => !r.warmup);
  const cells = summarise(measured, options);
  const verdicts = targets(cells, options);
  const same = equivalence(measured, otherOf(options));

  const header = `${meta.date.slice(0, 10)} · Chromium ${meta.chromium} · ${meta.cores} cores (${meta.cpu}) · ` +
    `${options.runs} runs per cell, interleaved and shuffled (seed ${options.seed}) · SurveyJS ${meta.surveyjs['survey-core']} · ` +
    `Rapport ${meta.rapport.commit}${meta.rapport.dirty ? '+dirty' : ''} (${meta.rapport.dist.wasm})` +
    (meta.baseline ? ` · baseline ${meta.baseline.dir} (${meta.baseline.wasm})` : '');
  const tableSet = tables(cells, options);
  const payloadLines = ['rapport', otherOf(options)].map((variant) => {
    const files = cells[`${variant}@${options.throttle[0]}x`].payloadFiles;
    return `${LABELS[variant]} loads: ` + files.map((f) => `${path.basename(f.path)} ${formatValue(f.gzip, 'KiB')} KiB gzip`).join(', ');
  });
  const answersLine = same.same
    ? `Both widgets posted the same answers in every run: ${JSON.stringify(same.rapport)}`
    : `ANSWERS DIFFER: Rapport ${JSON.stringify(same.rapport)} (${same.rapportRunsAsExpected}/${same.rapportRuns} as expected), ` +
      `SurveyJS ${JSON.stringify(same.surveyjs)} (${same.surveyjsRunsAsExpected}/${same.surveyjsRuns} as expected), expected ${JSON.stringify(EXPECTED)}`;

  console.log('');
  console.log(header);
  for (const { rows } of tableSet) {
    console.log('');
    console.log(textTable(rows));
  }
  console.log('');
  payloadLines.forEach((line) => console.log(line));
  console.log(answersLine);
  for (const [id, c] of Object.entries(cells)) {
    if (c.failed.length) {
      console.log(`${id}: ${c.failed.length} failed runs, e.g. ${c.failed[0].error}`);
    }
    if (c.errors.length) {
      console.log(`${id}: page errors: ${c.errors.slice(0, 3).join(' | ')}`);
    }
  }
  console.log('');
  console.log(options.baseline ? 'Targets: not checked in an A/B run against a baseline build' : 'Targets:');
  for (const t of verdicts) {
    console.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.detail}`);
  }

  mkdirSync(options.out, { recursive: true });
  const md = [
    `Measured ${header}.`,
    `Medians with p25–p75 in parentheses; times from navigation start; the page, both widgets and the endpoint served from one local origin (uncompressed, no network throttling; payload sizes are computed with zlib).`,
    '',
    ...tableSet.flatMap(({ rows }) => [markdownTable(rows), '']),
    ...payloadLines.map((line) => `${line}  `),
    answersLine,
    '',
    ...(options.baseline
      ? ['Targets: not checked in an A/B run against a baseline build.']
      : ['| target | result | measured |', '|---|---|---|',
        ...verdicts.map((t) => `| ${t.name} | ${t.pass ? 'PASS' : 'FAIL'} | ${t.detail} |`)]),
    ''
  ].join('\n');
  writeFileSync(path.join(options.out, 'latest.md'), md);
  writeFileSync(path.join(options.out, 'latest.json'), JSON.stringify({
    meta, targets: verdicts, answers: same, cells, runs: records
  }, null, 2) + '\n');
  console.log('');
  console.log(`[bench] wrote ${path.relative(process.cwd(), path.join(options.out, 'latest.json'))} and latest.md`);
}

function requireBenchVersion(pkg) {
  for (const base of [BENCH, path.join(REPO, 'tools')]) {
    try {
      return JSON.parse(readFileSync(createRequire(path.join(base, 'package.json')).resolve(`${pkg}/package.json`), 'utf8')).version;
    } catch {
      // next
    }
  }
  return null;
}

main().catch((error) => {
  console.error(`[bench] ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
