// End-to-end tests of the widget in headless Chromium with the real dist/ bundle: each mode
// completed by mouse and by keyboard only, the script tag and the JS API, the callbacks, and
// the posted JSON checked against schema/response.schema.json.
//
//   cargo xtask dist && node --test e2e/

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, validateResponse } from './support/server.mjs';
import {
  completeResponse,
  focused,
  launch,
  logsOf,
  nextScreen,
  open,
  rapportLogs,
  screen,
  tabTo,
  walk,
} from './support/browser.mjs';

const SURVEY = '/surveys/post-purchase.json';
const LIMIT = { timeout: 60_000 };

let server;
let browser;
let orders = 0;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A purchase context of relationship `type` (repeat purchase, low price by default). */
function context(type, { total = 40, earlier = 3 } = {}) {
  orders += 1;
  return {
    order: { id: `W-${orders}`, total, currency: 'EUR' },
    customer: { earlier_orders: earlier },
    relationship: type,
  };
}

/** A shop page whose snippet queues `show` with `options` (and recording callbacks). */
function queuePage(options, page = {}) {
  server.responses.length = 0;
  return server.page({
    embed: 'queue',
    options: { survey: SURVEY, endpoint: '/responses', target: '#rapport-survey', locale: 'en', ...options },
    ...page,
  });
}

async function events(page) {
  return page.evaluate(() => window.__rapport);
}

/** Checks the posted response: valid, with the expected answers, and the headers. */
async function checkResponse(expected) {
  const { body, headers } = await completeResponse(server);
  assert.deepEqual(await validateResponse(body), [], 'the payload matches the published schema');
  assert.equal(headers['content-type'], 'application/json');
  assert.equal(headers['idempotency-key'], `${body.response_id}:${body.sequence}`);
  assert.equal(body.survey_id, 'post-purchase');
  assert.deepEqual(Object.keys(body.answers).sort(), Object.keys(expected.answers).sort());
  for (const [step, value] of Object.entries(expected.answers)) {
    assert.deepEqual(body.answers[step].value, value, `answer to ${step}`);
  }
  assert.deepEqual(body.relationship, expected.relationship);
  return { body, headers };
}

/** Nothing went wrong on the page: no uncaught error, no `[rapport]` error. */
function assertQuiet(page) {
  assert.deepEqual(page.errors.map(String), [], 'no uncaught error reached the page');
  assert.deepEqual(rapportLogs(page, 'error'), [], 'the widget logged no error');
}

for (const mode of ['inline', 'modal', 'slide_in']) {
  test(`${mode}: a customer completes the survey with the mouse`, LIMIT, async () => {
    const page = await open(browser, queuePage({
      mode,
      context: context('best_friends'),
      headers: { 'X-Shop': 'test-shop' },
    }));
    const host = page.locator('[data-rapport-survey]');
    await screen(page);
    assert.equal(await host.getAttribute('data-rapport-mode'), mode);
    if (mode === 'inline') {
      assert.equal(await page.locator('#rapport-survey > [data-rapport-survey]').count(), 1, 'inside the target');
    } else {
      assert.equal(await page.locator('body > [data-rapport-survey]').count(), 1, 'at the end of the body');
      await assert.doesNotReject(host.locator('button.close').waitFor(), 'a visible close button');
    }

    const seen = await walk(page, { by: 'mouse' });
    assert.deepEqual(seen, ['reassure', 'nps', 'data_use']);
    const { headers } = await checkResponse({
      answers: { nps: 9, data_use: true },
      relationship: { type: 'best_friends', source: 'explicit' },
    });
    assert.equal(headers['x-shop'], 'test-shop', 'the extra headers reach the endpoint');
    assert.equal(await host.locator('.heading').textContent(), 'Thank you!');

    const recorded = await events(page);
    assert.deepEqual(recorded.steps.map((s) => s.step_id), ['reassure', 'nps', 'data_use']);
    assert.deepEqual(recorded.steps.map((s) => s.position), [1, 2, 3]);
    await page.waitForFunction(() => window.__rapport.submits.length === 1);
    assert.equal((await events(page)).submits[0].status, 'complete');
    assert.deepEqual(recorded.errors, []);

    if (mode !== 'inline') {
      await host.locator('.button-done').click();
      await host.waitFor({ state: 'detached' });
      await page.waitForFunction(() => window.__rapport.closes.length === 1);
      assert.deepEqual((await events(page)).closes, [{ survey_id: 'post-purchase', completed: true }]);
    }
    assertQuiet(page);
    await page.context().close();
  });

  test(`${mode}: a customer completes the survey with the keyboard only`, LIMIT, async () => {
    // The survey appears a moment after the page; the customer is on the shop's button.
    const page = await open(browser, queuePage({
      mode,
      context: context('master_servant'),
      trigger: 'delay',
      delay: 400,
    }));
    await tabTo(page, (f) => f.id === 'host-button');
    await screen(page);
    const start = await focused(page);
    if (mode === 'modal') {
      assert.ok(start.inWidget && start.tag === 'h2', `a modal takes focus to its heading: ${JSON.stringify(start)}`);
      // The focus trap: Tab never leaves the dialog.
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        assert.ok((await focused(page)).inWidget, `Tab ${i + 1} stayed in the dialog`);
      }
    } else {
      assert.equal(start.id, 'host-button', `an ${mode} survey does not take the focus`);
    }

    const seen = await walk(page, { by: 'keyboard' });
    assert.deepEqual(seen, ['reassure', 'demands_met', 'nps', 'effort']);
    await checkResponse({
      answers: { demands_met: 'met', nps: 9, effort: 6 },
      relationship: { type: 'master_servant', source: 'explicit' },
    });

    if (mode === 'modal') {
      await page.keyboard.press('Escape');
      await page.locator('[data-rapport-survey]').waitFor({ state: 'detached' });
      assert.equal((await focused(page)).id, 'host-button', 'focus returns to where it was');
    } else if (mode === 'slide_in') {
      await tabTo(page, (f) => f.inWidget && f.classes.includes('button-done'), { back: true });
      await page.keyboard.press('Enter');
      await page.locator('[data-rapport-survey]').waitFor({ state: 'detached' });
    }
    if (mode !== 'inline') {
      await page.waitForFunction(() => window.__rapport.closes.length === 1);
      assert.equal((await events(page)).closes[0].completed, true);
    }
    assertQuiet(page);
    await page.context().close();
  });
}

test('the script tag alone shows the survey, in the page language', LIMIT, async () => {
  server.responses.length = 0;
  const url = server.page({
    embed: 'tag',
    lang: 'de',
    attributes: {
      survey: SURVEY,
      endpoint: '/responses',
      target: '#rapport-survey',
      context: context('just_buying'),
    },
  });
  const page = await open(browser, url);
  await screen(page);
  const widget = page.locator('[data-rapport-survey]');
  assert.equal(await widget.getAttribute('data-rapport-mode'), 'inline');
  assert.match(await widget.locator('.heading').textContent(), /^Ihre Bestellung W-\d+ ist bestätigt$/);
  assert.equal(await widget.locator('.button-primary').textContent(), 'Weiter');
  const seen = await walk(page, { by: 'mouse' });
  assert.deepEqual(seen, ['reassure', 'satisfaction']);
  const { body } = await checkResponse({
    answers: { satisfaction: 4 },
    relationship: { type: 'just_buying', source: 'explicit' },
  });
  assert.equal(body.locale, 'de');
  assert.equal(await widget.locator('.heading').textContent(), 'Vielen Dank!');
  assertQuiet(page);
  await page.context().close();
});

/** A page with the script tag (`embed`: `tag` or `after-load`) for a just-buying customer. */
function tagPage(embed) {
  return server.page({
    embed,
    attributes: {
      survey: SURVEY,
      endpoint: '/responses',
      target: '#rapport-survey',
      locale: 'en',
      context: context('just_buying'),
    },
  });
}

test('mistakes in the script tag are named: a misspelt attribute, an attribute that is not JSON, a second tag', LIMIT, async () => {
  const attributes = { survey: SURVEY, target: '#rapport-survey', locale: 'en' };
  // A misspelt endpoint would lose every answer without a word; another tool's attribute
  // (a CDN's, a consent manager's) is left alone.
  let page = await open(browser, server.page({
    embed: 'tag',
    attributes: { ...attributes, endpiont: '/responses', cfasync: 'false', context: context('just_buying') },
  }));
  await screen(page);
  assert.deepEqual(rapportLogs(page, 'warning'), [
    '[rapport] data-endpiont is not an option and is ignored; did you mean data-endpoint?',
  ]);
  await page.context().close();

  // A context that is not JSON (an apostrophe in a value ends the attribute early): nothing
  // is shown, rather than a survey without its order.
  page = await open(browser, server.page({
    embed: 'tag',
    attributes: { ...attributes, endpoint: '/responses', context: "{order:{id:'A-1'}}" },
  }));
  const errors = await logsOf(page, 'error', 2);
  assert.match(errors[0], /^\[rapport\] data-context is not valid JSON \(.+\)$/);
  assert.match(errors[1], /^\[rapport\] the configuration is not valid: context: invalid type: string/);
  assert.equal(errors.length, 2);
  assert.equal(await page.locator('[data-rapport-survey]').count(), 0, 'nothing is shown');
  assert.deepEqual(page.errors.map(String), []);
  await page.context().close();

  // A site-wide bare tag loads first; the order page's own tag comes second.
  const tag = Object.entries({ ...attributes, endpoint: '/responses' })
    .map(([name, value]) => ` data-${name}="${value}"`).join('');
  page = await open(browser, server.page({
    embed: 'html',
    html: `<script src="/rapport.js"></script>\n  <script src="/rapport.js?order-page"${tag} async></script>`,
  }));
  const warnings = await logsOf(page, 'warning', 1);
  assert.match(warnings[0], /^\[rapport\] rapport\.js is on this page more than once; only the first one to load is used, and the data-\* attributes of http:\/\/127\.0\.0\.1:\d+\/rapport\.js\?order-page are ignored\. Keep one script tag\.$/);
  assert.deepEqual(page.errors.map(String), []);
  await page.context().close();
});

test('a script tag inserted after the load event shows the survey; the load event did not wait', LIMIT, async () => {
  server.responses.length = 0;
  const page = await open(browser, tagPage('after-load'));
  const widget = page.locator('[data-rapport-survey]');
  await widget.locator('.heading').waitFor();
  assert.equal(await widget.getAttribute('data-rapport-mode'), 'inline');
  const timing = await page.evaluate(() => ({
    load: performance.getEntriesByType('navigation')[0].loadEventStart,
    loader: performance.getEntriesByType('resource')
      .filter((entry) => entry.name.endsWith('/rapport.js'))
      .map((entry) => entry.startTime),
  }));
  assert.equal(timing.loader.length, 1, 'rapport.js loaded once');
  assert.ok(timing.loader[0] >= timing.load, `rapport.js requested at ${timing.loader[0]} ms, load event began at ${timing.load} ms`);
  const seen = await walk(page, { by: 'mouse' });
  assert.deepEqual(seen, ['reassure', 'satisfaction']);
  await checkResponse({
    answers: { satisfaction: 4 },
    relationship: { type: 'just_buying', source: 'explicit' },
  });
  assertQuiet(page);
  await page.context().close();
});

test('the widget starts after the page has loaded and painted; a page that paints no frames gets it anyway', LIMIT, async () => {
  const tag = () => tagPage('tag');
  // The page's frames: performance.now() in each animation-frame callback.
  const recordFrames = () => {
    window.__frames = [];
    const tick = () => {
      window.__frames.push(performance.now());
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  let page = await open(browser, tag(), { init: recordFrames });
  await page.locator('[data-rapport-survey] .heading').waitFor();
  const timing = await page.evaluate(() => ({
    load: performance.getEntriesByType('navigation')[0].loadEventEnd,
    wasm: performance.getEntriesByType('resource')
      .filter((entry) => entry.name.endsWith('.wasm'))
      .map((entry) => entry.startTime),
    frames: window.__frames,
  }));
  assert.equal(timing.wasm.length, 1, 'the wasm module is loaded once');
  const between = timing.frames.filter((time) => time >= timing.load && time <= timing.wasm[0]);
  assert.ok(
    between.length > 0,
    `a frame between the load event (${timing.load} ms) and the wasm request (${timing.wasm[0]} ms); frames at ${timing.frames.slice(0, 12).join(', ')}`,
  );
  assertQuiet(page);
  await page.context().close();

  // As in a hidden tab: no frame ever comes.
  page = await open(browser, tag(), {
    init: () => {
      window.requestAnimationFrame = () => 0;
    },
  });
  await page.locator('[data-rapport-survey] .heading').waitFor();
  assert.deepEqual(await walk(page, { by: 'mouse' }), ['reassure', 'satisfaction']);
  assertQuiet(page);
  await page.context().close();
});

test('the JS API after load: show, a second show refused, close; push still works', LIMIT, async () => {
  const page = await open(browser, server.page({ embed: 'none' }));
  await page.waitForFunction(() => window.rapport && window.rapport.loaded === true);
  // The loader's API object keeps the queue convention.
  assert.equal(await page.evaluate(() => typeof window.rapport.push), 'function');
  await page.evaluate((survey) => {
    window.closings = [];
    window.rapport.show({
      survey,
      mode: 'modal',
      locale: 'en',
      context: { relationship: 'fling' },
      onClose: (info) => window.closings.push(info),
    });
  }, SURVEY);
  assert.equal(await screen(page), 'reassure');
  await page.evaluate(() => window.rapport.show({ survey: '/surveys/post-purchase.json' }));
  await page.waitForFunction(() => document.querySelectorAll('[data-rapport-survey]').length === 1);
  await page.evaluate(() => window.rapport.push(['close']));
  await page.locator('[data-rapport-survey]').waitFor({ state: 'detached' });
  await page.waitForFunction(() => window.closings.length === 1);
  assert.deepEqual(await page.evaluate(() => window.closings), [{ survey_id: 'post-purchase', completed: false }]);
  assert.ok(
    rapportLogs(page, 'warning').some((w) => w.includes('already shown')),
    'the second show is refused with a warning',
  );
  // Once closed, `show` works again.
  await page.evaluate((survey) => window.rapport.show({ survey, mode: 'slide_in', locale: 'en' }), SURVEY);
  assert.equal(await screen(page), 'reassure');
  assertQuiet(page);
  await page.context().close();
});

test('the thank-you text depends on the answers: a detractor is offered help', LIMIT, async () => {
  const page = await open(browser, queuePage({ context: context('best_friends'), mode: 'inline' }));
  const seen = await walk(page, {
    by: 'mouse',
    answerFor: (id, kind) => ({ nps: 3, data_use: false, personal_contact: 'call' })[id] ?? null,
  });
  assert.deepEqual(seen, ['reassure', 'nps', 'data_use', 'personal_contact']);
  const widget = page.locator('[data-rapport-survey]');
  assert.equal(await widget.locator('.heading').textContent(), 'Thank you for your honesty');
  assert.match(await widget.locator('.ending .body').textContent(), /Someone from our team will look at your order W-\d+ today/);
  assert.equal(await widget.locator('.ending a.link').getAttribute('href'), 'mailto:service@example.com');
  const { body } = await checkResponse({
    answers: { nps: 3, data_use: false, personal_contact: 'call' },
    relationship: { type: 'best_friends', source: 'explicit' },
  });
  assert.deepEqual(body.scores.nps, { score: 3, category: 'detractor' });
  assertQuiet(page);
  await page.context().close();
});

test('the demo shop page (dist/index.html) shows the survey for its order', LIMIT, async () => {
  const page = await open(browser, `${server.url}/index.html`);
  const welcome = await screen(page);
  const order = await page.locator('h2#order-heading [data-order-id]').textContent();
  assert.match(order, /^A-\d{4}$/);
  assert.equal(
    await page.locator('[data-rapport-survey] .heading').textContent(),
    'Willkommen – und herzlichen Glückwunsch zu Ihrer Wahl!',
    'a first purchase is welcomed first',
  );
  await page.locator('[data-rapport-survey] .button-primary').click();
  await nextScreen(page, welcome);
  assert.equal(
    await page.locator('[data-rapport-survey] .heading').textContent(),
    `Ihre Bestellung ${order} ist bestätigt`,
  );
  assert.deepEqual(page.errors.map(String), []);
  await page.context().close();
});
