// End-to-end tests of delivery: the real dist/ bundle in headless Chromium, on shop pages
// served from one origin, posting to a real HTTP endpoint on another (e2e/support/endpoint.mjs)
// that fails, refuses, goes down and comes back as each test says. Every assertion on what
// was delivered is on what that endpoint received.
//
//   cargo xtask dist && node --test e2e/delivery.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { launch } from './support/browser.mjs';
import { describe, sleep, startEndpoint } from './support/endpoint.mjs';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = join(REPO, 'dist');
const LIMIT = { timeout: 60_000 };

const NPS = { id: 'nps', kind: 'nps', required: true, title: { en: 'Would you recommend us?' } };
const CSAT = { id: 'csat', kind: 'csat', title: { en: 'How satisfied are you?' } };
const WHY = { id: 'why', kind: 'text', title: { en: 'What could we do better?' } };
const SURVEYS = {
  // One post at the end (the default delivery).
  'e2e-once': { id: 'e2e-once', version: 1, default_locale: 'en', locales: ['en'], steps: [NPS, CSAT] },
  // A partial post after each answer, then the complete one.
  'e2e-steps': {
    id: 'e2e-steps', version: 1, default_locale: 'en', locales: ['en'], delivery: 'per_step',
    steps: [NPS, CSAT, WHY],
  },
};

let shop;
let browser;
let orders = 0;

before(async () => {
  if (!existsSync(join(DIST, 'rapport.js'))) {
    throw new Error('dist/ has no rapport.js; run `cargo xtask dist` first');
  }
  shop = await startShop();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await shop?.close();
});

/** Runs `body(t)` with a fresh browser context (empty storage) and a fresh endpoint. */
async function scenario(body) {
  const endpoint = await startEndpoint();
  const context = await browser.newContext();
  const logs = [];
  context.on('console', (message) => logs.push(`${message.type()}: ${message.text()}`));
  try {
    await body({ endpoint, context, open: (url) => openPage(context, url) });
  } catch (error) {
    error.message += `\nendpoint received: ${describe(endpoint.posts)}\npage console:\n  ${logs.join('\n  ')}`;
    throw error;
  } finally {
    await context.close();
    await endpoint.close();
  }
}

async function openPage(context, url) {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return page;
}

function order() {
  orders += 1;
  return `D-${orders}`;
}

/** A shop page that shows `survey` for `order` and posts to `endpoint`. */
function surveyPage(endpoint, survey, orderId) {
  return shop.page({ endpoint, show: { survey: `/surveys/${survey}.json`, context: { order: { id: orderId } } } });
}

/** Another page of the shop with the script on it, and no survey to show. */
function plainPage(endpoint) {
  return shop.page({ endpoint });
}

/** Answers step `id` (a rating, or a text) and presses Continue / Submit. */
async function answer(page, id, value) {
  const widget = page.locator('[data-rapport-survey]');
  await widget.locator(`[data-step="${id}"]`).waitFor();
  if (typeof value === 'number') {
    await widget.locator('[role=radio]', { hasText: new RegExp(`^${value}$`) }).click();
  } else {
    await widget.locator('textarea').fill(value);
  }
  await widget.locator('.button-primary').click();
}

/** The outbox keys in the page's localStorage. */
function outbox(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('rapport-outbox:')));
}

async function outboxEmptied(page, timeout = 30_000) {
  await page.waitForFunction(
    () => !Object.keys(localStorage).some((key) => key.startsWith('rapport-outbox:')),
    null,
    { timeout },
  );
}

function callbacks(page) {
  return page.evaluate(() => window.__rapport);
}

// ---- the tests ---------------------------------------------------------------------------

test('500 to the first three posts, then 200: the response arrives once', LIMIT, () =>
  scenario(async ({ endpoint, open }) => {
    endpoint.failFirst(3, 500);
    const page = await open(surveyPage(endpoint, 'e2e-once', order()));
    await answer(page, 'nps', 9);
    await answer(page, 'csat', 4);
    await endpoint.waitFor((e) => e.accepted().length === 1, { timeout: 20_000, what: 'the accepted post' });

    const [post] = endpoint.accepted();
    assert.deepEqual(endpoint.posts.map((p) => p.status), [500, 500, 500, 200]);
    assert.ok(endpoint.posts.every((p) => p.key === post.key), 'every attempt has the same Idempotency-Key');
    assert.equal(post.key, `${post.json.response_id}:1`);
    assert.equal(post.headers['content-type'], 'application/json');
    assert.equal(post.headers['x-shop'], 'e2e', 'the configured extra header');
    assert.equal(post.json.status, 'complete');
    assert.deepEqual(post.json.answers, { nps: { kind: 'nps', value: 9 }, csat: { kind: 'csat', value: 4 } });
    assert.ok(endpoint.preflights >= 1, 'a cross-origin JSON post is preflighted');
    const gaps = endpoint.posts.slice(1).map((p, i) => p.at - endpoint.posts[i].at);
    assert.ok(gaps[1] > gaps[0] * 0.9 || gaps[2] > gaps[0], `growing waits: ${gaps}`);

    await page.waitForFunction(() => window.__rapport.submits.length === 1);
    const { submits, errors } = await callbacks(page);
    assert.equal(submits[0].response_id, post.json.response_id, 'onSubmit after the 2xx');
    assert.deepEqual(errors, []);
    await outboxEmptied(page);

    // The next page load sends nothing again.
    await page.goto(plainPage(endpoint));
    await sleep(1_500);
    assert.equal(endpoint.posts.length, 4);
  }));

test('the endpoint is down while the customer answers; it comes up; the next page load delivers', LIMIT, () =>
  scenario(async ({ endpoint, context, open }) => {
    await endpoint.down();
    const page = await open(surveyPage(endpoint, 'e2e-once', order()));
    await answer(page, 'nps', 3);
    await answer(page, 'csat', 2);
    await page.waitForFunction(() =>
      Object.keys(localStorage).some((key) => key.startsWith('rapport-attempts:') &&
        JSON.parse(localStorage.getItem(key)).failures >= 1));
    assert.equal((await outbox(page)).length, 1, 'the response waits in the outbox');
    await page.close();
    assert.equal(endpoint.posts.length, 0);

    await endpoint.up();
    const next = await openPage(context, plainPage(endpoint));
    // (Once the lease of what the closed page handed to the browser has run out: 15 s.)
    await endpoint.waitFor((e) => e.accepted().length >= 1, { timeout: 30_000, what: 'the delivery' });
    await outboxEmptied(next);
    await sleep(1_000);
    // The closed page handed the response to the browser (`keepalive`) as it went; when that
    // request reaches the port only after it is up again, it arrives too, and the next page,
    // which cannot know, sends it once more after the lease: at least once, never as two
    // different responses.
    assert.ok([1, 2].includes(endpoint.posts.length), `posts: ${endpoint.posts.length}`);
    assert.equal(new Set(endpoint.posts.map((p) => p.key)).size, 1, 'one Idempotency-Key');
    const post = endpoint.posts.at(-1);
    assert.equal(post.json.status, 'complete');
    assert.deepEqual(post.json.answers, { nps: { kind: 'nps', value: 3 }, csat: { kind: 'csat', value: 2 } });
  }));

test('the tab navigates away right after the last answer: it arrives, and no duplicate follows', LIMIT, () =>
  scenario(async ({ endpoint, open }) => {
    const page = await open(surveyPage(endpoint, 'e2e-once', order()));
    await answer(page, 'nps', 10);
    const widget = page.locator('[data-rapport-survey]');
    await widget.locator('[data-step="csat"]').waitFor();
    await widget.locator('[role=radio]', { hasText: /^5$/ }).click();
    await widget.locator('.button-primary').click();
    await page.goto(plainPage(endpoint));

    await endpoint.waitFor((e) => e.accepted().length === 1, { what: 'the post' });
    await sleep(3_000);
    assert.equal(endpoint.posts.length, 1, 'no duplicate when the next page loads');
    assert.equal(endpoint.posts[0].json.answers.csat.value, 5);
    // If the page was gone before the 2xx came back, the next page sends it once more after
    // its lease, with the same Idempotency-Key; otherwise nothing is left to send.
    await outboxEmptied(page);
    assert.deepEqual(new Set(endpoint.posts.map((p) => p.key)).size, 1);
  }));

test('a post still on its way when the tab is left is completed by the browser (keepalive)', LIMIT, () =>
  scenario(async ({ endpoint, open }) => {
    endpoint.answer = () => ({ status: 200, delay: 800 });
    const page = await open(surveyPage(endpoint, 'e2e-once', order()));
    await answer(page, 'nps', 10);
    const widget = page.locator('[data-rapport-survey]');
    await widget.locator('[data-step="csat"]').waitFor();
    await widget.locator('[role=radio]', { hasText: /^5$/ }).click();
    await widget.locator('.button-primary').click();
    await endpoint.waitFor((e) => e.posts.length === 1, { what: 'the post' });
    await page.goto(plainPage(endpoint));
    // Until the endpoint has answered (after its 800 ms); a dropped request is `aborted` then.
    await endpoint.waitFor((e) => e.posts[0].status !== null, { what: 'the answer to the post' });
    const [post] = endpoint.posts;
    assert.equal(post.status, 200);
    assert.equal(post.aborted, false, 'the browser kept the request after the page was gone');
    // (The page could not learn of the 2xx: the next page sends it again after the lease,
    // with the same Idempotency-Key. See docs/delivery-readme-draft.md.)
  }));

test('a 400 is not retried, onError is called, and the other posts still arrive', LIMIT, () =>
  scenario(async ({ endpoint, open }) => {
    endpoint.answer = (post) => ({ status: post.json?.sequence === 1 ? 400 : 201 });
    const orderId = order();
    const page = await open(surveyPage(endpoint, 'e2e-steps', orderId));
    await answer(page, 'nps', 8);
    await answer(page, 'csat', 4);
    await answer(page, 'why', 'Faster delivery');
    await endpoint.waitFor((e) => e.accepted().length === 2, { what: 'the later posts' });
    await page.waitForFunction(() => window.__rapport.errors.length === 1);

    const { errors, submits } = await callbacks(page);
    assert.equal(errors[0].code, 'delivery');
    assert.equal(errors[0].reason, 'rejected');
    assert.equal(errors[0].status, 400);
    assert.equal(errors[0].sequence, 1);
    await page.waitForFunction(() => window.__rapport.submits.length === 1);
    assert.equal(submits.length, 1);
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('rapport-rejected:')));
    assert.equal(kept.length, 1, 'the refused post is kept aside');

    await page.goto(surveyPage(endpoint, 'e2e-steps', orderId));
    await sleep(2_000);
    const sequences = endpoint.posts.map((p) => p.json.sequence);
    assert.deepEqual(sequences, [1, 2, 3], 'each post once, the refused one not again');
    assert.equal(endpoint.posts[2].json.status, 'complete');
    assert.equal(endpoint.posts[2].json.answers.nps.value, 8, 'the complete post has every answer');
  }));

test('per_step: partial posts with increasing sequence numbers, then the complete one', LIMIT, () =>
  scenario(async ({ endpoint, open }) => {
    const page = await open(surveyPage(endpoint, 'e2e-steps', order()));
    await answer(page, 'nps', 9);
    await endpoint.waitFor((e) => e.accepted().length === 1, { what: 'the first partial post' });
    await answer(page, 'csat', 5);
    await answer(page, 'why', 'Nothing, thanks');
    await endpoint.waitFor((e) => e.accepted().length === 3, { what: 'three posts' });

    const posts = endpoint.posts.map((p) => p.json);
    const id = posts[0].response_id;
    assert.deepEqual(posts.map((p) => [p.sequence, p.status]), [[1, 'partial'], [2, 'partial'], [3, 'complete']]);
    assert.ok(posts.every((p) => p.response_id === id));
    assert.deepEqual(endpoint.posts.map((p) => p.key), [`${id}:1`, `${id}:2`, `${id}:3`]);
    assert.deepEqual(Object.keys(posts[0].answers), ['nps']);
    assert.deepEqual(Object.keys(posts[2].answers).sort(), ['csat', 'nps', 'why']);
    await page.waitForFunction(() => window.__rapport.submits.length === 1);
    assert.equal((await callbacks(page)).submits[0].sequence, 3);
  }));

test('429 with Retry-After: the next attempt waits as long as asked', LIMIT, () =>
  scenario(async ({ endpoint, open }) => {
    let first = true;
    endpoint.answer = () => {
      const answer = first ? { status: 429, headers: { 'Retry-After': '2' } } : { status: 200 };
      first = false;
      return answer;
    };
    const page = await open(surveyPage(endpoint, 'e2e-once', order()));
    await answer(page, 'nps', 7);
    await answer(page, 'csat', 3);
    await endpoint.waitFor((e) => e.accepted().length === 1, { what: 'the post after the wait' });
    assert.equal(endpoint.posts.length, 2);
    const waited = endpoint.posts[1].at - endpoint.posts[0].at;
    assert.ok(waited >= 1_900, `waited ${waited} ms`);
  }));

test('two tabs loading at once send what an earlier page left only once', LIMIT, () =>
  scenario(async ({ endpoint, context, open }) => {
    await endpoint.down();
    const page = await open(surveyPage(endpoint, 'e2e-once', order()));
    await answer(page, 'nps', 6);
    await answer(page, 'csat', 3);
    await page.waitForFunction(() => Object.keys(localStorage).some((key) => key.startsWith('rapport-attempts:') &&
      JSON.parse(localStorage.getItem(key)).failures >= 1));
    await page.close();
    await endpoint.up();

    const [one, two] = await Promise.all([context.newPage(), context.newPage()]);
    await Promise.all([one.goto(plainPage(endpoint)), two.goto(plainPage(endpoint))]);
    await endpoint.waitFor((e) => e.accepted().length === 1, { timeout: 30_000, what: 'the delivery' });
    await outboxEmptied(one);
    await sleep(3_500);
    assert.equal(endpoint.posts.length, 1, 'one post for two tabs');
  }));

test('a customer who leaves mid-survey continues at the same step with the same answers', LIMIT, () =>
  scenario(async ({ endpoint, open }) => {
    const orderId = order();
    const page = await open(surveyPage(endpoint, 'e2e-steps', orderId));
    await answer(page, 'nps', 6);
    await endpoint.waitFor((e) => e.accepted().length === 1, { what: 'the first partial post' });
    await page.goto(plainPage(endpoint));
    await sleep(300);

    await page.goto(surveyPage(endpoint, 'e2e-steps', orderId));
    const widget = page.locator('[data-rapport-survey]');
    await widget.locator('[data-step="csat"]').waitFor();
    await widget.locator('.button-back').click();
    await widget.locator('[data-step="nps"]').waitFor();
    assert.equal(
      await widget.locator('[role=radio][aria-checked=true]').textContent(),
      '6',
      'the earlier answer is still there',
    );
    await widget.locator('.button-primary').click();
    await answer(page, 'csat', 2);
    await answer(page, 'why', 'More colours');
    await endpoint.waitFor((e) => e.accepted().length === 3, { what: 'the posts after resuming' });

    const posts = endpoint.posts.map((p) => p.json);
    assert.ok(posts.every((p) => p.response_id === posts[0].response_id), 'one response');
    assert.deepEqual(posts.map((p) => p.sequence), [1, 2, 3]);
    assert.equal(posts[2].status, 'complete');
    assert.equal(posts[2].answers.nps.value, 6);
    assert.equal(posts[2].started_at, posts[0].started_at);
  }));

test('a rating picked and a comment typed without Continue are still there when the customer comes back', LIMIT, () =>
  scenario(async ({ endpoint, open }) => {
    const orderId = order();
    const page = await open(surveyPage(endpoint, 'e2e-steps', orderId));
    const widget = page.locator('[data-rapport-survey]');
    await widget.locator('[data-step="nps"]').waitFor();
    await widget.locator('[role=radio]', { hasText: /^8$/ }).click();
    await sleep(300);
    await page.reload();
    await widget.locator('[data-step="nps"]').waitFor();
    assert.equal(await widget.locator('[role=radio][aria-checked=true]').textContent(), '8', 'the picked rating is still picked');
    await widget.locator('.button-primary').click();
    await answer(page, 'csat', 4);
    await widget.locator('[data-step="why"] textarea').fill('The parcel came a day');
    await sleep(300);
    // The tab is closed (a phone discards it) and the confirmation page opened again.
    await page.goto(plainPage(endpoint));
    await page.goto(surveyPage(endpoint, 'e2e-steps', orderId));
    await widget.locator('[data-step="why"]').waitFor();
    assert.equal(await widget.locator('textarea').inputValue(), 'The parcel came a day', 'the comment is still there');
    // Shown once more without a word typed, it is still kept.
    await sleep(300);
    await page.reload();
    await widget.locator('[data-step="why"]').waitFor();
    assert.equal(await widget.locator('textarea').inputValue(), 'The parcel came a day', 'the comment is kept on the next visit too');
    await widget.locator('textarea').fill('The parcel came a day early');
    await widget.locator('.button-primary').click();
    await endpoint.waitFor((e) => e.accepted().some((p) => p.json.status === 'complete'), { what: 'the complete post' });
    const complete = endpoint.posts.map((p) => p.json).find((p) => p.status === 'complete');
    assert.equal(complete.answers.nps.value, 8);
    assert.equal(complete.answers.csat.value, 4);
    assert.equal(complete.answers.why.value, 'The parcel came a day early');
    assert.ok(endpoint.posts.every((p) => p.json.response_id === complete.response_id), 'one response');
  }));

// ---- the shop --------------------------------------------------------------------------

const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The shop's web server: the widget from dist/, the test surveys, and pages made to order.
 * `page({ endpoint, show })` returns the URL of a page whose setup script (a file: the pages
 * have a strict CSP that lets them post to the endpoint's origin only) queues
 * `rapport.push(['show', {...show, endpoint, target, headers, onSubmit, onError}])` when
 * `show` is given, with callbacks that record into `window.__rapport`.
 */
async function startShop() {
  const pages = new Map();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const send = (status, body, type = 'text/plain; charset=utf-8', headers = {}) => {
      response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      response.end(body);
    };
    const page = /^\/shop\/(\d+)\.(html|js)$/.exec(url.pathname);
    if (page && pages.has(Number(page[1]))) {
      const config = pages.get(Number(page[1]));
      if (page[2] === 'js') {
        send(200, setupScript(config), TYPES['.js']);
      } else {
        const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${config.endpoint.origin}`;
        send(200, pageHtml(page[1]), 'text/html; charset=utf-8', { 'Content-Security-Policy': csp });
      }
      return;
    }
    const survey = /^\/surveys\/([a-z0-9-]+)\.json$/.exec(url.pathname);
    if (survey && SURVEYS[survey[1]]) {
      send(200, JSON.stringify(SURVEYS[survey[1]]), TYPES['.json']);
      return;
    }
    const path = normalize(join(DIST, url.pathname));
    if (path.startsWith(DIST + '/') && /^\/rapport[-_.]/.test(url.pathname)) {
      try {
        send(200, await readFile(path), TYPES[extname(path)] ?? 'application/octet-stream');
        return;
      } catch {
        // Not found below.
      }
    }
    send(404, 'not found');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  let next = 0;
  return {
    page(config) {
      next += 1;
      pages.set(next, config);
      return `${origin}/shop/${next}.html`;
    },
    close() {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

function pageHtml(id) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Order confirmed – Test Shop</title></head>
<body>
  <h1>Thank you for your order!</h1>
  <div id="survey"></div>
  <script src="/shop/${id}.js"></script>
  <script src="/rapport.js" async></script>
</body>
</html>
`;
}

function setupScript({ endpoint, show }) {
  const options = show && {
    ...show,
    endpoint: endpoint.url,
    target: '#survey',
    locale: 'en',
    headers: { 'X-Shop': 'e2e' },
  };
  return `window.__rapport = { submits: [], errors: [] };
window.rapport = window.rapport || [];
var options = ${JSON.stringify(options ?? null)};
if (options) {
  options.onSubmit = function (response) { window.__rapport.submits.push(response); };
  options.onError = function (error) { window.__rapport.errors.push(error); };
  rapport.push(['show', options]);
}
`;
}
