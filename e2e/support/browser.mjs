// Headless Chromium for the end-to-end tests (Debian's /usr/bin/chromium driven by
// playwright-core from tools/), and what a customer does in the widget.
//
// Playwright's CSS locators pierce open shadow roots, so `page.locator('.heading')` finds the
// widget's heading inside its shadow root.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from '../../tools/node_modules/playwright-core/index.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** Launches headless Chromium. */
export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}; run scripts/setup.sh (or set CHROMIUM)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens `url` in a fresh context (empty storage, no cookies) and collects what the page
 * logs: `page.logs` (console messages as `{type, text}`) and `page.errors` (uncaught
 * exceptions that reached the page).
 */
export async function open(browser, url, { viewport = DESKTOP, colorScheme = 'light', init } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.logs = [];
  page.errors = [];
  page.on('console', (message) => page.logs.push({ type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => page.errors.push(error));
  if (init) {
    await page.addInitScript(init);
  }
  await page.goto(url);
  return page;
}

/** The `[rapport]` messages the page logged at `type` (`error`, `warning`, `info`). */
export function rapportLogs(page, type) {
  return page.logs.filter((log) => log.type === type && log.text.startsWith('[rapport]')).map((log) => log.text);
}

/** Waits until the page has logged at least `count` `[rapport]` messages of `type` (at most `timeout` ms), and returns them all. */
export async function logsOf(page, type, count, { timeout = 10_000 } = {}) {
  const end = Date.now() + timeout;
  while (rapportLogs(page, type).length < count && Date.now() < end) {
    await new Promise((done) => setTimeout(done, 50));
  }
  const logs = rapportLogs(page, type);
  assert.ok(logs.length >= count, `${count} ${type} messages expected, got ${JSON.stringify(logs)}`);
  return logs;
}

/** Waits until the widget shows a step or the ending, and returns its id (`ending` for it). */
export async function screen(page) {
  const heading = page.locator('[data-rapport-survey] .heading');
  await heading.first().waitFor();
  return page.evaluate(() => {
    const host = document.querySelector('[data-rapport-survey]');
    const root = host && host.shadowRoot;
    const step = root && root.querySelector('[data-step]');
    if (step) {
      return step.getAttribute('data-step');
    }
    return root && root.querySelector('.ending') ? 'ending' : null;
  });
}

/**
 * Waits for the screen after `from` (the widget animates nothing with reduced motion).
 * Polls on a timer, not on animation frames (Playwright's default): a page that paints no
 * frames (as a hidden tab, or a test that replaces `requestAnimationFrame`) would never re-run
 * the check, and the step changes a task after the click, so the first check may be too early.
 */
export async function nextScreen(page, from) {
  await page.waitForFunction((previous) => {
    const host = document.querySelector('[data-rapport-survey]');
    const root = host && host.shadowRoot;
    if (!root) {
      return false;
    }
    const step = root.querySelector('[data-step]');
    const now = step ? step.getAttribute('data-step') : root.querySelector('.ending') ? 'ending' : null;
    return now !== null && now !== previous;
  }, from, { polling: 20 });
  return screen(page);
}

/** The step kind shown (`nps`, `reassurance`, …) from the step's `data-kind`. */
export async function kindOf(page) {
  return page.locator('[data-rapport-survey] [data-step]').getAttribute('data-kind');
}

/**
 * A typical customer's answer to a step (as the model's example tests answer):
 * ratings 9 / 4 / 6, the first option (or the one the example names), a short text, yes.
 * `overrides` maps step ids to answers.
 */
export function typicalAnswer(stepId, kind, overrides = {}) {
  if (stepId in overrides) {
    return overrides[stepId];
  }
  switch (kind) {
    case 'nps':
      return 9;
    case 'csat':
      return 4;
    case 'ces':
      return 6;
    case 'single_choice':
      return { demands_met: 'met', excitement: 'thrilled' }[stepId] ?? 'call';
    case 'multi_choice':
      return stepId === 'inspiration' ? ['styling'] : ['quality'];
    case 'text':
      return 'Faster delivery';
    case 'consent':
      return true;
    default:
      return null;
  }
}

/** Gives `answer` to the current step with the mouse, then clicks Continue / Submit. */
export async function answerByMouse(page, kind, answer) {
  const widget = page.locator('[data-rapport-survey]');
  switch (kind) {
    case 'nps':
    case 'csat':
    case 'ces':
      await widget.locator('[role=radio]', { hasText: new RegExp(`^${answer}$`) }).click();
      break;
    case 'single_choice':
    case 'relationship_screener':
      await widget.locator(`label.option:has(input[value="${answer}"])`).click();
      break;
    case 'multi_choice':
      for (const id of answer) {
        await widget.locator(`label.option:has(input[value="${id}"])`).click();
      }
      break;
    case 'text':
      await widget.locator('textarea').click();
      await widget.locator('textarea').fill(answer);
      break;
    case 'consent':
      if (answer) {
        await widget.locator('label.consent').click();
      }
      break;
    default:
      break;
  }
  await widget.locator('.button-primary').click();
}

/** The element focused inside the widget's shadow root, described for assertions. */
export async function focused(page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) {
      active = active.shadowRoot.activeElement;
    }
    if (!active) {
      return null;
    }
    const inWidget = active.getRootNode() instanceof ShadowRoot &&
      active.getRootNode().host.hasAttribute('data-rapport-survey');
    return {
      inWidget,
      tag: active.tagName.toLowerCase(),
      id: active.id,
      role: active.getAttribute('role'),
      type: active.getAttribute('type'),
      value: active.getAttribute('value'),
      text: (active.textContent || '').trim(),
      classes: active.getAttribute('class') || '',
      checked: active.getAttribute('aria-checked') ?? (active.checked === undefined ? null : String(active.checked)),
    };
  });
}

/** Presses Tab (Shift+Tab with `back`) until `matches(focused)` holds; at most `limit` times. */
export async function tabTo(page, matches, { back = false, limit = 40 } = {}) {
  for (let i = 0; i < limit; i++) {
    const now = await focused(page);
    if (now && matches(now)) {
      return now;
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached the wanted element; last: ${JSON.stringify(await focused(page))}`);
}

const inWidget = (test) => (f) => f.inWidget && test(f);

/**
 * Gives `answer` to the current step with the keyboard only (Tab, arrows, Space, Enter),
 * then activates Continue / Submit with Enter.
 */
export async function answerByKeyboard(page, kind, answer) {
  switch (kind) {
    case 'nps':
    case 'csat':
    case 'ces': {
      // The group's one tab stop, then Home and arrows to the value.
      await tabTo(page, inWidget((f) => f.role === 'radio'));
      await page.keyboard.press('Home');
      const min = kind === 'nps' ? 0 : 1;
      for (let v = min; v < answer; v++) {
        await page.keyboard.press('ArrowRight');
      }
      const now = await focused(page);
      if (now.text !== String(answer) || now.checked !== 'true') {
        throw new Error(`the arrows did not pick ${answer}: ${JSON.stringify(now)}`);
      }
      break;
    }
    case 'single_choice':
    case 'relationship_screener': {
      const target = await tabTo(page, inWidget((f) => f.type === 'radio'));
      if (target.value !== answer) {
        // Arrow keys move through a radio group, checking as they go.
        for (let i = 0; i < 10 && (await focused(page)).value !== answer; i++) {
          await page.keyboard.press('ArrowDown');
        }
      }
      await page.keyboard.press('Space');
      break;
    }
    case 'multi_choice':
      for (const id of answer) {
        await tabTo(page, inWidget((f) => f.type === 'checkbox' && f.value === id));
        await page.keyboard.press('Space');
      }
      break;
    case 'text':
      await tabTo(page, inWidget((f) => f.tag === 'textarea'));
      await page.keyboard.type(answer);
      break;
    case 'consent':
      if (answer) {
        await tabTo(page, inWidget((f) => f.type === 'checkbox'));
        await page.keyboard.press('Space');
      }
      break;
    default:
      break;
  }
  await tabTo(page, inWidget((f) => f.classes.includes('button-primary')));
  await page.keyboard.press('Enter');
}

/**
 * Walks the survey from the current screen to the ending, answering each step with
 * `answerFor(stepId, kind)` by mouse or keyboard. `onScreen(stepId, kind)` runs on each step
 * before it is answered. Returns the step ids seen.
 */
export async function walk(page, { by = 'mouse', answerFor = typicalAnswer, onScreen } = {}) {
  const answer = by === 'keyboard' ? answerByKeyboard : answerByMouse;
  const seen = [];
  let current = await screen(page);
  for (let guard = 0; current !== 'ending' && guard < 20; guard++) {
    seen.push(current);
    const kind = await kindOf(page);
    if (onScreen) {
      await onScreen(current, kind);
    }
    await answer(page, kind, answerFor(current, kind));
    current = await nextScreen(page, current);
  }
  return seen;
}

/** Waits until the endpoint has received a `complete` response, and returns it. */
export async function completeResponse(server, { timeout = 10_000 } = {}) {
  const start = Date.now();
  for (;;) {
    const found = server.responses.find((r) => r.body && r.body.status === 'complete');
    if (found) {
      return found;
    }
    if (Date.now() - start > timeout) {
      throw new Error(`no complete response reached the endpoint; got ${server.responses.length} posts`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const AXE = join(REPO, 'tools', 'node_modules', 'axe-core', 'axe.min.js');
