// End-to-end: accessibility. axe-core (tools/node_modules/axe-core, run inside the page)
// reports no WCAG 2.0/2.1/2.2 A and AA violation on any screen of the survey — every step
// kind, the "please answer" hint, the thank-you end — in each mode, at phone and desktop
// width, in light and dark colour schemes. (axe is injected as a script tag, which a strict
// CSP would block, so these pages have none; harmless.test.mjs covers the CSP.)
//
// The test also takes the README's screenshots, <mode>-<phone|desktop>.png: into
// target/screenshots/, so that a test run leaves the checkout as it was, or, with
// RAPPORT_SCREENSHOTS=docs, over the README's own in docs/screenshots/.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer } from './support/server.mjs';
import {
  AXE,
  DESKTOP,
  PHONE,
  REPO,
  answerByMouse,
  kindOf,
  launch,
  nextScreen,
  open,
  rapportLogs,
  screen,
  typicalAnswer,
  walk,
} from './support/browser.mjs';

const LIMIT = { timeout: 120_000 };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SHOTS = process.env.RAPPORT_SCREENSHOTS === 'docs'
  ? join(REPO, 'docs', 'screenshots')
  : join(REPO, 'target', 'screenshots');

let server;
let browser;
let orders = 0;

before(async () => {
  server = await startServer();
  browser = await launch();
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs axe on the whole page (the widget's open shadow root included). */
async function axe(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE });
  }
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    TAGS,
  );
  const violations = result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary}`),
  }));
  assert.deepEqual(violations, [], `axe found WCAG 2.2 AA violations on ${where}`);
}

function page(options) {
  orders += 1;
  return server.page({
    embed: 'queue',
    options: {
      survey: '/surveys/post-purchase.json',
      endpoint: '/responses',
      target: '#rapport-survey',
      locale: 'en',
      ...options,
      context: { ...options.context, order: { id: `X-${orders}`, currency: 'EUR', ...options.context.order } },
    },
  });
}

/**
 * Walks the survey, running axe on every screen; on a required step it first tries to go on
 * without an answer, so the "please answer" hint is checked too. `shot(stepId)` may take a
 * screenshot. Returns the step ids seen.
 */
async function walkWithAxe(tab, label, { answers = {}, shot } = {}) {
  const seen = [];
  let current = await screen(tab);
  for (let guard = 0; current !== 'ending' && guard < 20; guard++) {
    seen.push(current);
    const kind = await kindOf(tab);
    await axe(tab, `${label}, step ${current}`);
    if (shot) {
      await shot(current);
    }
    const required = await tab.locator('[data-rapport-survey] [aria-required=true]').count();
    if (required > 0 && kind !== 'consent') {
      await tab.locator('[data-rapport-survey] .button-primary').click();
      await tab.locator('[data-rapport-survey] [role=alert]').waitFor();
      await axe(tab, `${label}, step ${current} with the hint`);
    }
    await answerByMouse(tab, kind, current in answers ? answers[current] : typicalAnswer(current, kind));
    current = await nextScreen(tab, current);
  }
  await axe(tab, `${label}, the ending`);
  if (shot) {
    await shot('ending');
  }
  return seen;
}

const JOURNEYS = [
  {
    name: 'first high-price purchase, type from the screener, unmet demands',
    mode: 'inline',
    context: { order: { total: 649 }, customer: { earlier_orders: 0 } },
    answers: { screener: 'master_servant', demands_met: 'not_met', escalation: 'It arrived without the milk jug.' },
    path: ['welcome_first', 'reassure', 'protection', 'screener', 'demands_met', 'escalation', 'nps', 'effort'],
  },
  {
    name: 'a fling, in a modal',
    mode: 'modal',
    context: { order: { total: 40 }, customer: { earlier_orders: 3 }, relationship: 'fling' },
    answers: {},
    path: ['reassure', 'excitement', 'inspiration'],
  },
  {
    name: 'a business partner, in a slide-in card',
    mode: 'slide_in',
    context: { order: { total: 120 }, customer: { earlier_orders: 5 }, relationship: 'business_partner', business: { mode: 'co_creation' } },
    answers: {},
    path: ['reassure', 'nps', 'improvement', 'follow_up'],
  },
  {
    name: 'a disappointed good friend, colleagues\' scales',
    mode: 'inline',
    context: { order: { total: 40 }, customer: { earlier_orders: 3 }, relationship: 'best_friends', business: { mode: 'personal_assistance' } },
    answers: { nps: 2, personal_contact: 'email' },
    path: ['reassure', 'nps', 'data_use', 'personal_contact'],
  },
  {
    name: 'colleagues',
    mode: 'slide_in',
    context: { order: { total: 300 }, customer: { earlier_orders: 1 }, relationship: 'colleagues' },
    answers: {},
    path: ['reassure', 'nps', 'info_useful', 'updates'],
  },
];

for (const viewport of [['desktop', DESKTOP], ['phone', PHONE]]) {
  for (const scheme of ['light', 'dark']) {
    for (const journey of JOURNEYS) {
      test(`axe: ${journey.name} (${journey.mode}, ${viewport[0]}, ${scheme})`, LIMIT, async () => {
        const tab = await open(browser, page({ mode: journey.mode, context: journey.context }), {
          viewport: viewport[1],
          colorScheme: scheme,
        });
        const seen = await walkWithAxe(tab, `${journey.name} (${viewport[0]}, ${scheme})`, { answers: journey.answers });
        assert.deepEqual(seen, journey.path);
        assert.deepEqual(tab.errors.map(String), []);
        assert.deepEqual(rapportLogs(tab, 'error'), []);
        await tab.context().close();
      });
    }
  }
}

test('the widget works at 320 px width without sideways scrolling', LIMIT, async () => {
  for (const mode of ['inline', 'modal', 'slide_in']) {
    const tab = await open(browser, page({ mode, context: { order: { total: 40 }, customer: { earlier_orders: 3 }, relationship: 'colleagues' } }), {
      viewport: { width: 320, height: 640 },
    });
    await screen(tab);
    await tab.locator('[data-rapport-survey] .button-primary').click();
    await nextScreen(tab, 'reassure'); // the NPS scale, the widest step
    const fits = await tab.evaluate(() => {
      const root = document.querySelector('[data-rapport-survey]').shadowRoot;
      const boxes = [...root.querySelectorAll('.survey, .scale-value, .button')].map((e) => e.getBoundingClientRect());
      const small = [...root.querySelectorAll('button, input, a')]
        .map((e) => e.getBoundingClientRect())
        .filter((r) => r.width > 0 && (r.width < 24 || r.height < 24));
      return {
        overflow: document.documentElement.scrollWidth > window.innerWidth,
        outside: boxes.filter((r) => r.left < 0 || r.right > window.innerWidth).length,
        small: small.length,
      };
    });
    assert.deepEqual(fits, { overflow: false, outside: 0, small: 0 }, `${mode} at 320 px`);
    await tab.context().close();
  }
});

test('text spacing set by the reader (WCAG 1.4.12) at 320 px: no text clipped, nothing outside the screen', LIMIT, async () => {
  const problems = [];
  for (const mode of ['inline', 'modal', 'slide_in']) {
    // German: the longer words.
    const tab = await open(browser, page({ mode, locale: 'de', context: { order: { total: 40 }, customer: { earlier_orders: 3 }, relationship: 'colleagues' } }), {
      viewport: { width: 320, height: 568 },
    });
    await screen(tab);
    await walk(tab, {
      onScreen: async (step) => {
        const found = await tab.evaluate(() => {
          const root = document.querySelector('[data-rapport-survey]').shadowRoot;
          if (!root.spaced) {
            // What a reader's text-spacing bookmarklet does, inside the shadow root too.
            const sheet = new CSSStyleSheet();
            sheet.replaceSync('* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important } p { margin-bottom: 2em !important }');
            root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
            root.spaced = true;
          }
          const bad = [];
          for (const e of root.querySelectorAll('*:not(.visually-hidden)')) {
            const style = getComputedStyle(e);
            const box = e.getBoundingClientRect();
            if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && style.overflowX !== 'visible') bad.push(`${e.className || e.tagName} clipped sideways`);
            if (e.clientHeight > 0 && e.scrollHeight > e.clientHeight + 1 && style.overflowY === 'hidden') bad.push(`${e.className || e.tagName} clipped below`);
            if (box.width > 0 && (box.left < -0.5 || box.right > window.innerWidth + 0.5)) bad.push(`${e.className || e.tagName} outside the screen`);
          }
          // A number on a scale broken over two lines ("1" above "0") reads as two numbers.
          for (const b of root.querySelectorAll('.scale-value')) {
            const range = document.createRange();
            range.selectNodeContents(b);
            if (range.getClientRects().length > 1) bad.push(`scale value ${b.textContent} broken over lines`);
          }
          if (document.documentElement.scrollWidth > window.innerWidth) bad.push('the page scrolls sideways');
          return bad;
        });
        problems.push(...found.map((p) => `${mode} ${step}: ${p}`));
      },
    });
    await tab.context().close();
  }
  assert.deepEqual(problems, []);
});

test('screenshots of each mode at phone and desktop width (target/screenshots)', LIMIT, async () => {
  const shots = [
    // mode, the step to show, the context
    ['inline', 'reassure', { order: { total: 649 }, customer: { earlier_orders: 2 }, relationship: 'best_friends', business: { mode: 'personal_assistance' } }],
    ['modal', 'nps', { order: { total: 649 }, customer: { earlier_orders: 2 }, relationship: 'best_friends' }],
    ['slide_in', 'excitement', { order: { total: 89 }, customer: { earlier_orders: 1 }, relationship: 'fling' }],
  ];
  for (const [mode, step, context] of shots) {
    for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      const tab = await open(browser, page({ mode, context }), { viewport });
      let current = await screen(tab);
      for (let guard = 0; current !== step && guard < 10; guard++) {
        const kind = await kindOf(tab);
        await answerByMouse(tab, kind, typicalAnswer(current, kind));
        current = await nextScreen(tab, current);
      }
      if (mode === 'inline') {
        await tab.locator('[data-rapport-survey]').scrollIntoViewIfNeeded();
      }
      // No caret or focus ring in the picture.
      await tab.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
      await tab.screenshot({ path: join(SHOTS, `${mode}-${size}.png`), scale: 'css' });
      await tab.context().close();
    }
  }
});
