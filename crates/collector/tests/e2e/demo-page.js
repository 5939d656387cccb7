// End to end: the demo shop page and the widget, served by the collector, in headless
// Chromium; the widget posts to the collector, and the researcher aggregate shows the answer
// under the relationship type the customer picked. Asserts on what reached the collector.
// Then the hosted page from a signed link, and a shop page of another origin (a static server
// on another port) that embeds the collector's rapport.js: its answer is stored too.
//
//   node crates/collector/tests/e2e/demo-page.js <rapport-collector binary> <dist dir> <surveys dir>
//
// Run by scripts/test-collector.sh (after `cargo xtask dist`). Needs playwright-core from
// tools/node_modules and Debian's /usr/bin/chromium (override with CHROMIUM). Binds only
// 127.0.0.1 on ports the OS picks; bounded by a 120 s deadline.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { startCollector } = require('./collector');

const root = path.resolve(__dirname, '../../../..');
const { chromium } = require(path.join(root, 'tools/node_modules/playwright-core'));

const [bin, dist, surveys] = process.argv.slice(2);
if (!bin || !dist || !surveys) {
  console.error('usage: demo-page.js <rapport-collector> <dist> <surveys>');
  process.exit(2);
}

const deadline = setTimeout(() => fail('timed out after 120 s'), 120000);
let server;
let shop;
let browser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-e2e-'));
const database = `sqlite://${path.join(dir, 'e2e.db')}`;
const SECRET = 'e2e-link-secret-0123456789';
const sitesFile = path.join(dir, 'sites.json');
/** The sites file: the shop page at `shopOrigin` may post to `post-purchase`. */
function writeSites(shopOrigin) {
  fs.writeFileSync(sitesFile, JSON.stringify({ sites: [{ id: 'demo', origins: [shopOrigin],
    surveys: ['post-purchase'], signing_secret: SECRET }] }));
}

function cleanup() {
  clearTimeout(deadline);
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (shop) shop.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

function fail(message) {
  console.error(`[e2e] FAILED: ${message}`);
  Promise.resolve(browser && browser.close()).catch(() => {}).finally(() => {
    cleanup();
    process.exit(1);
  });
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Starts the collector; resolves with its base URL once it listens. */
function startCollectorHere() {
  const started = startCollector(bin, ['--database-url', database, '--listen', '127.0.0.1:0',
    '--dist', dist, '--surveys', surveys, '--sites', sitesFile]);
  server = started.child;
  return started.base;
}

/**
 * Starts the shop's own static server on 127.0.0.1 (another port, so another origin than the
 * collector); resolves with its origin. It serves one page, set later with `shop.page`.
 */
function startShop() {
  return new Promise((resolve, reject) => {
    shop = http.createServer((request, response) => {
      if (request.url === '/' && shop.page) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(shop.page);
      } else {
        response.writeHead(request.url === '/favicon.ico' ? 204 : 404);
        response.end();
      }
    });
    shop.on('error', reject);
    shop.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${shop.address().port}`));
  });
}

/** Answers the current step like a `business_partner` customer; false when none is left. */
async function answerStep(survey) {
  const form = survey.locator('form');
  if (await form.count() === 0) return false;
  const screener = survey.locator('input[type=radio][value=business_partner]');
  if (await screener.count() > 0) await screener.check();
  const ten = survey.locator('[role=radiogroup] [role=radio]', { hasText: /^10$/ });
  if (await ten.count() > 0) await ten.first().click();
  const text = survey.locator('textarea');
  if (await text.count() > 0) await text.first().fill('Mehr Farben, bitte <b>!</b>');
  const consent = survey.locator('input[type=checkbox]');
  if (await consent.count() > 0) await consent.first().check();
  await survey.locator('button[type=submit]').first().click();
  return true;
}

(async () => {
  // A researcher token, printed once by `token create`.
  const researcher = execFileSync(bin, ['--database-url', database, 'token', 'create', 'e2e'],
    { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  check(researcher.startsWith('rpt_'), `token create printed ${researcher}`);
  const shopOrigin = await startShop();
  writeSites(shopOrigin);
  const base = await startCollectorHere();
  console.log(`[e2e] collector at ${base}, shop page of another origin at ${shopOrigin}`);

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'] });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  const posted = page.waitForResponse((r) => r.request().method() === 'POST'
    && r.url().endsWith('/demo/responses'), { timeout: 60000 });
  // The widget's module travels compressed: the collector sends the sibling `cargo xtask dist`
  // wrote for the encodings Chromium accepts.
  const wasm = page.waitForResponse((r) => /\/rapport_bg-[0-9a-f]+\.wasm$/.test(r.url()), { timeout: 30000 });
  await page.goto(`${base}/`);
  const wasmEncoding = (await wasm).headers()['content-encoding'];
  check(wasmEncoding === 'br' || wasmEncoding === 'gzip', `the wasm was sent with content-encoding ${wasmEncoding}`);
  console.log(`[e2e] the widget's wasm was sent with content-encoding ${wasmEncoding}`);
  const csp = (await page.request.get(`${base}/`)).headers()['content-security-policy'];
  check(csp === "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'", `CSP header: ${csp}`);

  const survey = page.locator('#rapport-survey');
  await survey.locator('form').first().waitFor({ timeout: 30000 });
  for (let step = 0; step < 20; step++) {
    const done = await Promise.race([posted.then(() => true), page.waitForTimeout(300).then(() => false)]);
    if (done || !(await answerStep(survey))) break;
  }
  const response = await posted;
  check(response.status() === 201, `the post was answered ${response.status()}: ${await response.text()}`);
  check(response.request().headers()['idempotency-key'], 'the post has an Idempotency-Key header');
  const ack = await response.json();
  console.log(`[e2e] widget posted ${ack.response_id}: ${response.status()} ${ack.outcome}`);

  const results = await page.request.get(`${base}/v1/surveys/post-purchase/versions/1/results`,
    { headers: { authorization: `Bearer ${researcher}` } });
  check(results.status() === 200, `results: ${results.status()}`);
  const body = await results.json();
  const partner = body.by_relationship.business_partner;
  check(body.total.count === 1, `total count ${body.total.count}`);
  check(partner.count === 1, `business_partner count ${partner.count}`);
  check(partner.nps.promoters === 1 && partner.nps.score === 100, `NPS ${JSON.stringify(partner.nps)}`);
  const texts = partner.questions.improvement.texts.map((t) => t.text);
  check(texts[0] === 'Mehr Farben, bitte <b>!</b>', `free text ${JSON.stringify(texts)}`);
  check(body.by_relationship.just_buying.count === 0, 'nothing under just_buying');
  check(body.by_price_band.high.count === 1 && body.by_purchase.first.count === 1, 'price band / purchase split');
  check(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  console.log('[e2e] aggregate shows the answer under business_partner: NPS 100, free text as data');

  // The hosted page from a signed link: the same widget, the signed context, a verified response.
  const query = `order_id=A-2002&total=89.90&currency=EUR&earlier_orders=3&locale=en&expires=${Math.floor(Date.now() / 1000) + 3600}`;
  const sig = require('crypto').createHmac('sha256', SECRET).update(`/s/post-purchase?${query}`).digest('hex');
  const hosted = await browser.newPage();
  hosted.on('pageerror', (err) => errors.push(String(err)));
  // Console errors too: a request the page makes in passing, such as `/favicon.ico`, must not
  // fail (the 403 of the tampered link's page below is its own answer, not an error of it).
  const tamperedUrl = `${base}/s/post-purchase?${query.replace('89.90', '8.99')}&sig=${sig}`;
  hosted.on('console', (msg) => {
    if (msg.type() === 'error' && msg.location().url !== tamperedUrl) errors.push(`${msg.text()} (${msg.location().url})`);
  });
  const hostedPost = hosted.waitForResponse((r) => r.request().method() === 'POST'
    && r.url().includes('/v1/responses?ctx='), { timeout: 60000 });
  const page2 = await hosted.goto(`${base}/s/post-purchase?${query}&sig=${sig}`);
  check(page2.status() === 200, `hosted page: ${page2.status()}`);
  const hostedSurvey = hosted.locator('#rapport-survey');
  await hostedSurvey.locator('form').first().waitFor({ timeout: 30000 });
  for (let step = 0; step < 20; step++) {
    const done = await Promise.race([hostedPost.then(() => true), hosted.waitForTimeout(300).then(() => false)]);
    if (done || !(await answerStep(hostedSurvey))) break;
  }
  const hostedAck = await (await hostedPost).json();
  check(hostedAck.context_verified === true, `hosted response not verified: ${JSON.stringify(hostedAck)}`);
  const tampered = await hosted.goto(tamperedUrl);
  check(tampered.status() === 403 && (await tampered.text()).includes('This survey link is not valid'), 'tampered link page');
  check(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  console.log('[e2e] hosted page from a signed link: response stored as verified; a tampered link gets the error page');

  // A shop page of another origin embeds the widget the collector serves: the loader, then the
  // hashed glue (`import()`) and the wasm (`fetch`) — CORS requests — all from the collector.
  const context = { order: { id: 'X-3003', total: 42.5, currency: 'EUR' }, customer: { earlier_orders: 1 } };
  shop.page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Another shop</title></head>
<body>
  <div id="rapport-survey"></div>
  <script src="${base}/rapport.js"
          data-survey="${base}/v1/surveys/post-purchase"
          data-endpoint="${base}/v1/responses"
          data-target="#rapport-survey"
          data-context='${JSON.stringify(context)}'
          async></script>
</body>
</html>
`;
  const shopPage = await browser.newPage();
  const shopErrors = [];
  shopPage.on('pageerror', (err) => shopErrors.push(String(err)));
  shopPage.on('console', (msg) => { if (msg.type() === 'error') shopErrors.push(msg.text()); });
  const shopPost = shopPage.waitForResponse((r) => r.request().method() === 'POST'
    && r.url() === `${base}/v1/responses`, { timeout: 60000 });
  shopPost.catch(() => {});
  await shopPage.goto(`${shopOrigin}/`);
  const shopSurvey = shopPage.locator('#rapport-survey');
  await shopSurvey.locator('form').first().waitFor({ timeout: 20000 }).catch(() => {
    throw new Error(`the widget did not show on the shop page of ${shopOrigin}; console: ${shopErrors.join(' | ')}`);
  });
  for (let step = 0; step < 20; step++) {
    const done = await Promise.race([shopPost.then(() => true), shopPage.waitForTimeout(300).then(() => false)]);
    if (done || !(await answerStep(shopSurvey))) break;
  }
  const shopResponse = await shopPost;
  check(shopResponse.status() === 201, `the shop page's post was answered ${shopResponse.status()}: ${await shopResponse.text()}`);
  const shopAck = await shopResponse.json();
  const exported = await page.request.get(`${base}/v1/surveys/post-purchase/export.jsonl?version=1`,
    { headers: { authorization: `Bearer ${researcher}` } });
  check(exported.status() === 200, `export: ${exported.status()}`);
  const stored = (await exported.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line))
    .find((row) => row.response_id === shopAck.response_id);
  check(stored, `the shop page's response ${shopAck.response_id} is not in the export`);
  check(stored.response.context.order.id === 'X-3003' && stored.relationship_type === 'business_partner',
    `stored shop response: ${JSON.stringify(stored)}`);
  check(shopErrors.length === 0, `console errors on the shop page: ${shopErrors.join(' | ')}`);
  console.log(`[e2e] shop page of another origin: widget loaded from the collector, response ${shopAck.response_id} stored`);
  await browser.close();
  cleanup();
  console.log('3 passed, 0 failed');
})().catch((err) => fail(err && err.stack ? err.stack : String(err)));
