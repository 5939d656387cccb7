// End-to-end: the widget is harmless to the host page. Hostile page CSS does not break it and
// its styles do not leak out; it works under a strict CSP, asks for nothing but the survey and
// the endpoint and sets no cookies; a broken definition or a panic shows nothing, logs one
// error and leaves the page working; frequency capping and sampling hold across page loads,
// and without storage nothing is capped.

import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, validateResponse } from './support/server.mjs';
import { REPO, completeResponse, launch, open, rapportLogs, screen, walk } from './support/browser.mjs';

const SURVEY = '/surveys/post-purchase.json';
const LIMIT = { timeout: 60_000 };
const BRAND = 'rgb(47, 107, 87)'; // the widget's default --rapport-brand, #2f6b57

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

function options(extra = {}) {
  orders += 1;
  return {
    survey: SURVEY,
    endpoint: '/responses',
    target: '#rapport-survey',
    locale: 'en',
    context: { order: { id: `H-${orders}`, total: 40 }, customer: { earlier_orders: 3 }, relationship: 'best_friends' },
    ...extra,
  };
}

/** The host page's own button still works. */
async function assertHostButtonWorks(page) {
  const before = Number(await page.locator('#host-count').textContent());
  await page.locator('#host-button').click();
  assert.equal(Number(await page.locator('#host-count').textContent()), before + 1, "the page's own button works");
}

/** Computed styles of the widget's parts, to compare with what styles/widget.css says. */
async function widgetStyles(page) {
  return page.evaluate(() => {
    const root = document.querySelector('[data-rapport-survey]').shadowRoot;
    const pick = (selector, properties) => {
      const style = getComputedStyle(root.querySelector(selector));
      return Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]));
    };
    const box = root.querySelector('.survey').getBoundingClientRect();
    return {
      survey: { ...pick('.survey', ['display', 'font-size', 'letter-spacing', 'text-transform', 'visibility', 'opacity']), width: box.width, height: box.height },
      button: pick('.button-primary', ['display', 'background-color', 'font-size', 'text-transform']),
    };
  });
}

for (const mode of ['inline', 'modal', 'slide_in']) {
  test(`hostile page CSS does not break the ${mode} widget`, LIMIT, async () => {
    server.responses.length = 0;
    const page = await open(browser, server.page({ embed: 'queue', hostile: true, options: options({ mode }) }));
    await screen(page);
    // The hostile CSS is in force on the page…
    assert.equal(await page.locator('h1').evaluate((h) => getComputedStyle(h).textTransform), 'uppercase');
    // …but not in the widget.
    const styles = await widgetStyles(page);
    assert.equal(styles.survey.display, 'block');
    assert.equal(styles.survey.visibility, 'visible');
    assert.equal(styles.survey.opacity, '1');
    assert.equal(styles.survey['font-size'], '16px');
    assert.equal(styles.survey['letter-spacing'], 'normal');
    assert.equal(styles.survey['text-transform'], 'none');
    assert.ok(styles.survey.width > 250 && styles.survey.height > 150, `visible size: ${JSON.stringify(styles.survey)}`);
    assert.equal(styles.button['background-color'], BRAND);
    assert.notEqual(styles.button.display, 'none');
    const seen = await walk(page);
    assert.deepEqual(seen, ['reassure', 'nps', 'data_use']);
    const { body } = await completeResponse(server);
    assert.deepEqual(await validateResponse(body), []);
    if (mode === 'modal') {
      // A modal keeps the page inert until it is closed.
      await page.locator('[data-rapport-survey] .button-done').click();
      await page.locator('[data-rapport-survey]').waitFor({ state: 'detached' });
    }
    await assertHostButtonWorks(page);
    assert.deepEqual(page.errors.map(String), []);
    await page.context().close();
  });
}

test('nothing leaks out of the widget into the page', LIMIT, async () => {
  const page = await open(browser, server.page({ embed: 'none' }), {
    init: () => {
      window.__globals = Object.keys(window);
    },
  });
  await page.waitForFunction(() => window.rapport && window.rapport.loaded);
  const snapshot = () => page.evaluate(() => {
    const styleOf = (selector) => {
      const style = getComputedStyle(document.querySelector(selector));
      return ['color', 'background-color', 'font-family', 'font-size', 'margin', 'padding', 'display'].map((p) => style.getPropertyValue(p)).join('|');
    };
    return {
      styles: ['body', 'h1', '#host-button', '.shop-order td', '#rapport-survey'].map(styleOf),
      sheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
      styleElements: document.querySelectorAll('style, link[rel=stylesheet]').length,
      inlineStyles: document.querySelectorAll('[style]').length,
    };
  });
  const before = await snapshot();
  for (const mode of ['inline', 'modal', 'slide_in']) {
    await page.evaluate((o) => window.rapport.show(o), options({ mode, endpoint: undefined }));
    await screen(page);
    assert.deepEqual(await snapshot(), before, `the page looks the same with the ${mode} widget`);
    await page.evaluate(() => window.rapport.close());
    await page.locator('[data-rapport-survey]').waitFor({ state: 'detached' });
  }
  const added = await page.evaluate(() => Object.keys(window).filter((k) => k !== '__globals' && !window.__globals.includes(k)));
  assert.deepEqual(added, ['rapport'], 'the one global is window.rapport');
  await page.context().close();
});

test('a strict CSP page works, with the theme, and sees no violation', LIMIT, async () => {
  server.responses.length = 0;
  const url = server.page({
    embed: 'tag',
    csp: true,
    attributes: {
      survey: SURVEY,
      endpoint: '/responses',
      mode: 'modal',
      locale: 'en',
      theme: { brand: '#8a2be2', radius: '2px' },
      context: { order: { id: 'CSP-1', total: 40 }, customer: { earlier_orders: 3 }, relationship: 'fling' },
    },
  });
  const page = await open(browser, url, {
    init: () => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    },
  });
  const response = await page.request.get(url);
  assert.equal(response.headers()['content-security-policy'], "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'");
  await screen(page);
  const brand = await page.locator('[data-rapport-survey] .button-primary').evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(brand, 'rgb(138, 43, 226)', 'the theme applies under the CSP');
  const seen = await walk(page);
  assert.deepEqual(seen, ['reassure', 'excitement', 'inspiration']);
  const { body } = await completeResponse(server);
  assert.deepEqual(await validateResponse(body), []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(page.errors.map(String), []);
  assert.deepEqual(rapportLogs(page, 'error'), []);
  await page.context().close();
});

test('a page that requires Trusted Types and allows no policy works and sees no violation', LIMIT, async () => {
  server.responses.length = 0;
  const policy = `${"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"}; require-trusted-types-for 'script'; trusted-types 'none'`;
  const url = server.page({
    embed: 'tag',
    csp: policy,
    attributes: {
      survey: SURVEY,
      endpoint: '/responses',
      mode: 'slide_in',
      locale: 'en',
      context: { order: { id: 'TT-1', total: 40 }, customer: { earlier_orders: 3 }, relationship: 'fling' },
    },
  });
  const page = await open(browser, url, {
    init: () => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    },
  });
  assert.equal((await page.request.get(url)).headers()['content-security-policy'], policy);
  await screen(page);
  assert.deepEqual(await walk(page), ['reassure', 'excitement', 'inspiration']);
  const { body } = await completeResponse(server);
  assert.deepEqual(await validateResponse(body), []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(page.errors.map(String), []);
  assert.deepEqual(rapportLogs(page, 'error'), []);
  await page.context().close();
});

test('only the survey and the endpoint are requested, and no cookie is set', LIMIT, async () => {
  server.responses.length = 0;
  server.requests.length = 0;
  const page = await open(browser, server.page({ embed: 'queue', options: options({ mode: 'slide_in' }) }));
  await walk(page);
  await completeResponse(server);
  await new Promise((done) => setTimeout(done, 300));
  const own = /^\/(pages\/\d+\/(page\.html|setup\.js)|pages\/shop\.(css|js)|rapport\.js|rapport-[0-9a-f]+\.js|rapport_bg-[0-9a-f]+\.wasm|favicon\.ico)$/;
  const others = server.requests.filter((r) => !own.test(r.path)).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual([...new Set(others)].sort(), ['GET /surveys/post-purchase.json', 'POST /responses']);
  assert.deepEqual(await page.context().cookies(), []);
  assert.equal(await page.evaluate(() => document.cookie), '');
  await page.context().close();
});

test('a server that sends the wasm without its media type still gets the survey shown and answered', LIMIT, async () => {
  server.responses.length = 0;
  server.requests.length = 0;
  server.files.wasmType = 'application/octet-stream';
  try {
    const page = await open(browser, server.page({ embed: 'queue', options: options({ mode: 'slide_in' }) }));
    await walk(page);
    const { body } = await completeResponse(server);
    assert.deepEqual(await validateResponse(body), []);
    // Streaming compilation refuses such a response; the glue compiles it from its bytes.
    assert.deepEqual(page.errors.map(String), []);
    assert.deepEqual(rapportLogs(page, 'error'), []);
    await page.context().close();
  } finally {
    server.files.wasmType = 'application/wasm';
  }
});

test('a wasm module the server does not have: one error naming it, onError, nothing shown, the page works', LIMIT, async () => {
  server.files.wasmStatus = 404;
  try {
    const page = await open(browser, server.page({ embed: 'queue', options: options({ mode: 'inline' }) }));
    await page.waitForFunction(() => window.__rapport && window.__rapport.errors.length > 0);
    await new Promise((done) => setTimeout(done, 200));
    const errors = rapportLogs(page, 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0], /^\[rapport\] failed to load the widget from http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(errors[0], /\b404\b.*http:\/\/127\.0\.0\.1:\d+\/rapport_bg-[0-9a-f]+\.wasm/, 'the status and the file');
    assert.deepEqual((await page.evaluate(() => window.__rapport.errors)).map((e) => e.code), ['load']);
    assert.equal(await page.locator('[data-rapport-survey]').count(), 0, 'nothing is shown');
    await assertHostButtonWorks(page);
    assert.deepEqual(page.errors.map(String), []);
    await page.context().close();
  } finally {
    server.files.wasmStatus = 200;
  }
});

test('a broken definition shows nothing, logs one error with every problem, and the page works', LIMIT, async () => {
  const expected = (await readFile(`${REPO}/tests/broken/semantics.expected.txt`, 'utf8')).trim().split('\n');
  // The validator's own broken definition, by URL and inline.
  for (const survey of ['/broken/semantics.json', JSON.parse(await readFile(`${REPO}/tests/broken/semantics.json`, 'utf8'))]) {
    const page = await open(browser, server.page({ embed: 'queue', options: options({ survey }) }));
    await page.waitForFunction(() => window.__rapport && window.__rapport.errors.length > 0);
    await new Promise((done) => setTimeout(done, 200));
    const errors = rapportLogs(page, 'error');
    assert.equal(errors.length, 1, `one console error: ${JSON.stringify(errors)}`);
    const lines = errors[0].split('\n');
    assert.equal(lines[0], `[rapport] the survey definition is not valid (${expected.length} problems):`);
    assert.deepEqual(lines.slice(1), expected, 'every problem, with its path');
    const reported = await page.evaluate(() => window.__rapport.errors);
    assert.deepEqual(reported.map((e) => e.code), ['invalid_survey']);
    assert.equal(await page.locator('[data-rapport-survey]').count(), 0, 'nothing is shown');
    assert.equal(await page.locator('#rapport-survey').evaluate((slot) => slot.childNodes.length), 0);
    await assertHostButtonWorks(page);
    assert.deepEqual(page.errors.map(String), []);
    await page.context().close();
  }
});

test('a panic removes the widget, logs one error, and nothing escapes into the page', LIMIT, async () => {
  const page = await open(browser, server.page({ embed: 'queue', options: options({ mode: 'inline' }) }), {
    init: () => {
      window.__pageSaw = [];
      window.onerror = (message) => window.__pageSaw.push(`onerror ${message}`);
      window.addEventListener('error', (e) => window.__pageSaw.push(`error ${e.message}`));
      window.addEventListener('unhandledrejection', (e) => window.__pageSaw.push(`rejection ${e.reason}`));
    },
  });
  await screen(page);
  await page.evaluate(() => window.rapport.push(['_panic']));
  // The next thing the customer does hits the (simulated) bug.
  await page.locator('[data-rapport-survey] .button-primary').click();
  await page.locator('[data-rapport-survey]').waitFor({ state: 'detached' });
  await page.waitForFunction(() => window.__rapport.errors.length === 1);
  await new Promise((done) => setTimeout(done, 200));
  const errors = rapportLogs(page, 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0], /^\[rapport\] internal error, the survey stopped \(src\/panic\.rs:\d+\): a panic was requested with the `_panic` command\./);
  assert.deepEqual(await page.evaluate(() => window.__pageSaw), [], "the page's error handlers saw nothing");
  assert.deepEqual(page.errors.map(String), [], 'no uncaught exception');
  assert.deepEqual((await page.evaluate(() => window.__rapport.errors)).map((e) => e.code), ['internal']);
  await assertHostButtonWorks(page);
  // The stopped widget ignores further calls, quietly.
  await page.evaluate((o) => window.rapport.show(o), options());
  await new Promise((done) => setTimeout(done, 300));
  assert.equal(await page.locator('[data-rapport-survey]').count(), 0);
  assert.deepEqual(page.errors.map(String), []);
  await page.context().close();
});

test('at most once per order and sampling hold across page loads', LIMIT, async () => {
  const context = await browser.newContext();
  const load = async (opts) => {
    const page = await context.newPage();
    page.logs = [];
    page.on('console', (m) => page.logs.push({ type: m.type(), text: m.text() }));
    await page.goto(server.page({ embed: 'queue', options: opts }));
    // Until the widget has decided (it starts after the page's load, then fetches, validates
    // and checks the rules): a survey on the page, or the info line that says why not.
    const decided = async () => rapportLogs(page, 'info').some((line) => line.includes(' is not shown: ')) ||
      (await page.locator('[data-rapport-survey]').count()) > 0;
    for (const start = Date.now(); !(await decided());) {
      assert.ok(Date.now() - start < 10_000, 'the widget neither showed the survey nor said why not within 10 s');
      await new Promise((done) => setTimeout(done, 50));
    }
    return page;
  };
  const notShown = (page) => rapportLogs(page, 'info').filter((line) => line.includes(' is not shown: '));
  const first = options({ mode: 'inline' });
  let page = await load(first);
  await walk(page);
  await page.close();
  page = await load(first);
  assert.equal(await page.locator('[data-rapport-survey]').count(), 0, 'not twice for one order');
  assert.deepEqual(rapportLogs(page, 'info'), [
    '[rapport] the survey `post-purchase` is not shown: it was already shown for this order (`frequency.once_per_order`)',
  ]);
  await page.close();
  page = await load(options({ frequency: { once_per_order: true, days: 7 } }));
  assert.equal(await page.locator('[data-rapport-survey]').count(), 0, 'not again within 7 days');
  assert.deepEqual(notShown(page), [
    '[rapport] the survey `post-purchase` is not shown: it was shown recently (`frequency.days`)',
  ]);
  await page.close();
  page = await load(options({ sampling: 0, frequency: { once_per_order: false } }));
  assert.equal(await page.locator('[data-rapport-survey]').count(), 0, 'a 0 % sample sees nothing');
  assert.deepEqual(notShown(page), [
    '[rapport] the survey `post-purchase` is not shown: this browser is not in the sample (`sampling`)',
  ]);
  await page.close();
  page = await load(options({ sampling: 100 }));
  assert.equal(await screen(page), 'reassure', 'a new order, everyone sampled');
  await page.close();
  await context.close();
});

test('without storage (private mode) nothing is capped, and the survey still works', LIMIT, async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  const opts = options({ mode: 'inline', frequency: { once_per_order: true, days: 30 } });
  for (let visit = 0; visit < 2; visit++) {
    server.responses.length = 0;
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e));
    await page.goto(server.page({ embed: 'queue', options: opts }));
    assert.equal(await screen(page), 'reassure', `shown on visit ${visit + 1}`);
    await walk(page);
    const { body } = await completeResponse(server);
    assert.deepEqual(await validateResponse(body), []);
    assert.deepEqual(page.errors.map(String), []);
    await page.close();
  }
  await context.close();
});
