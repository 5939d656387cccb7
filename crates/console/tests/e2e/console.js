// End to end: the researcher console, served by the collector, in headless Chromium. A
// researcher signs in (a wrong token is refused), writes a survey and sees every problem with
// its line, previews it in the real widget as a chosen customer and locale, publishes it (and
// is told when a version number is taken), then reads the results of answers that customers
// gave on the demo page, split by relationship type, and downloads the CSV export.
// Asserts on what the researcher sees and on what the collector stored.
//
//   node crates/console/tests/e2e/console.js <rapport-collector binary> <dist dir> <surveys dir>
//
// Run by scripts/test.sh (after `cargo xtask dist`, which builds dist/console/). Needs
// playwright-core from tools/node_modules and Debian's /usr/bin/chromium (override with
// CHROMIUM). Binds only 127.0.0.1 on a port the OS picks; bounded by a 150 s deadline.
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '../../../..');
const { chromium } = require(path.join(root, 'tools/node_modules/playwright-core'));
const { startCollector } = require(path.join(root, 'crates/collector/tests/e2e/collector'));

const [bin, dist, surveys] = process.argv.slice(2);
if (!bin || !dist || !surveys) {
  console.error('usage: console.js <rapport-collector> <dist> <surveys>');
  process.exit(2);
}

const deadline = setTimeout(() => fail('timed out after 150 s'), 150000);
let server;
let browser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-console-e2e-'));
const database = `sqlite://${path.join(dir, 'console.db')}`;
let passed = 0;
// Screenshots of the console go into target/screenshots/, or with RAPPORT_SCREENSHOTS=docs over
// the README's own in docs/screenshots/.
const SHOTS = process.env.RAPPORT_SCREENSHOTS === 'docs'
  ? path.join(root, 'docs', 'screenshots')
  : path.join(process.env.CARGO_TARGET_DIR || path.join(root, 'target'), 'screenshots');

function cleanup() {
  clearTimeout(deadline);
  if (server && server.exitCode === null) server.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
}

function fail(message) {
  console.error(`[console e2e] FAILED: ${message}`);
  Promise.resolve(browser && browser.close()).catch(() => {}).finally(() => {
    cleanup();
    process.exit(1);
  });
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function ok(message) {
  passed += 1;
  console.log(`[console e2e] ok: ${message}`);
}

/**
 * Answers the demo page's survey to its end as a customer of `type` giving `nps` (and picking
 * the options `picks` where they are asked); resolves
 * with the collector's acknowledgment of the complete response.
 */
async function answerDemo(page, base, type, nps, comment, picks = []) {
  const complete = page.waitForResponse((r) => r.request().method() === 'POST'
    && r.url().endsWith('/demo/responses') && r.ok()
    && JSON.parse(r.request().postData() || '{}').status === 'complete', { timeout: 60000 });
  await page.goto(`${base}/`);
  const survey = page.locator('#rapport-survey');
  await survey.locator('form').first().waitFor({ timeout: 30000 });
  for (let step = 0; step < 20 && await survey.locator('form').count() > 0; step++) {
    for (const value of [type, ...picks]) {
      const radio = survey.locator(`input[type=radio][value=${value}]`);
      if (await radio.count() > 0) await radio.check();
    }
    const score = survey.locator('[role=radiogroup] [role=radio]', { hasText: new RegExp(`^${nps}$`) });
    if (await score.count() > 0) await score.first().click();
    const text = survey.locator('textarea');
    if (await text.count() > 0) await text.first().fill(comment);
    const consent = survey.locator('input[type=checkbox]');
    if (await consent.count() > 0) await consent.first().check();
    await survey.locator('button[type=submit]').first().click();
    await page.waitForTimeout(300);
  }
  return (await complete).json();
}

(async () => {
  const token = execFileSync(bin, ['--database-url', database, 'token', 'create', 'console-e2e'],
    { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  const started = startCollector(bin, ['--database-url', database, '--listen', '127.0.0.1:0',
    '--dist', dist, '--surveys', surveys]);
  server = started.child;
  const base = await started.base;
  console.log(`[console e2e] collector at ${base}`);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'] });

  // Two customers answer the demo page: a business partner who recommends, a demanding
  // customer (master and servant) whose demands were not met.
  const shopPage = await browser.newPage();
  const partner = await answerDemo(shopPage, base, 'business_partner', 10, 'Mehr Farben, bitte');
  const demanding = await answerDemo(shopPage, base, 'master_servant', 3, 'Too slow <i>delivery</i>', ['not_met']);
  check(partner.response_id !== demanding.response_id, 'two responses');

  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  fs.mkdirSync(SHOTS, { recursive: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  // Chromium logs every 4xx answer; the wrong token's 401 and the taken version's 409 are the
  // answers this test asks for.
  const expected = /status of (401 \(Unauthorized\)|409 \(Conflict\))$/;
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !expected.test(msg.text())) errors.push(msg.text());
  });
  page.on('dialog', (dialog) => dialog.accept());
  const loaded = await page.goto(`${base}/console/`);
  check(loaded.status() === 200, `/console/ answered ${loaded.status()}`);
  check(loaded.headers()['content-security-policy'].includes("default-src 'self'"), 'the console page has the CSP');

  // Sign in: a wrong token is refused with what to do, the right one opens the console.
  await page.fill('#token', 'rpt_not-a-token');
  await page.click('button[type=submit]');
  await page.locator('#token-error', { hasText: 'does not accept this token' }).waitFor({ timeout: 20000 });
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.locator('text=Author and publish').waitFor({ timeout: 20000 });
  ok('a wrong token is refused, the right one signs in');

  // The starter survey is valid and previewed by the real widget; no request is made by it.
  const editor = page.locator('#definition');
  await page.locator('#problems-summary', { hasText: 'Valid: `my-survey` version 1' }).waitFor();
  const preview = page.locator('#preview');
  await preview.getByText('Thank you – a good choice').waitFor({ timeout: 30000 });
  ok('the starter survey is valid and shown in the preview');

  // Live: a changed title is in the preview; the German locale shows the German text.
  const starter = await editor.inputValue();
  await editor.fill(starter.replace('Thank you – a good choice', 'Thanks, great pick'));
  await preview.getByText('Thanks, great pick').waitFor({ timeout: 10000 });
  await page.selectOption('#preview-locale', 'de');
  await preview.getByText('Danke – eine gute Wahl').waitFor({ timeout: 10000 });
  ok('the preview follows the text and the chosen locale');
  await page.selectOption('#preview-locale', '');

  // Every problem, with its path and line; a click puts the cursor on that line.
  const broken = starter.replace('"version": 1', '"version": 0').replace('"id": "nps"', '"id": "NPS!"')
    .replace('"when": "answers.nps <= 6"', '"when": "answers.nps <="');
  await editor.fill(broken);
  await page.locator('#problems-summary', { hasText: 'problems' }).waitFor();
  const problems = await page.locator('.problems li').allInnerTexts();
  check(problems.length >= 3, `problems: ${JSON.stringify(problems)}`);
  const versionLine = broken.split('\n').findIndex((l) => l.includes('"version": 0')) + 1;
  const versionProblem = problems.find((p) => p.includes('$.version'));
  check(versionProblem && versionProblem.startsWith(`line ${versionLine}`), `the version problem: ${versionProblem}`);
  check(problems.some((p) => p.includes('$.steps[1].id')), `no problem at $.steps[1].id: ${problems}`);
  check(problems.some((p) => p.includes('$.steps[2].when')), `no problem at $.steps[2].when: ${problems}`);
  check(await page.locator('button', { hasText: 'Publish this version' }).isDisabled(), 'publish is off while there are problems');
  await page.screenshot({ path: path.join(SHOTS, 'console-editor.png') });
  await page.locator('.problems li', { hasText: '$.version' }).locator('button').click();
  const selected = await editor.evaluate((area) => area.value.slice(area.selectionStart, area.selectionEnd));
  check(selected.includes('"version": 0'), `the problem's button selected ${JSON.stringify(selected)}`);
  ok('every problem is listed with its path and line, and leads to it');

  // Publish: 201, again the same (200), other content under the same version (409).
  const survey = starter.replace('"my-survey"', '"console-e2e"');
  await editor.fill(survey);
  await page.click('text=Publish this version');
  await page.locator('.status.done', { hasText: 'Published `console-e2e` version 1' }).waitFor({ timeout: 20000 });
  await page.click('text=Publish this version');
  await page.locator('.status.done', { hasText: 'already published with this content' }).waitFor({ timeout: 20000 });
  await editor.fill(survey.replace('What should we do better?', 'What went wrong?'));
  await page.click('text=Publish this version');
  await page.locator('.status.refused', { hasText: 'Raise `version`' }).waitFor({ timeout: 20000 });
  const served = await page.request.get(`${base}/v1/surveys/console-e2e`);
  check(served.status() === 200 && (await served.json()).steps[2].title.en === 'What should we do better?',
    'the published version is served unchanged');
  ok('publishing: new version, same again, taken version refused');

  // Start from the published survey: its next version, which publishes as version 2.
  await page.selectOption('#start-from', 'console-e2e');
  await page.locator('#problems-summary', { hasText: 'Valid: `console-e2e` version 2' }).waitFor({ timeout: 20000 });
  await page.click('text=Publish this version');
  await page.locator('.status.done', { hasText: 'Published `console-e2e` version 2' }).waitFor({ timeout: 20000 });
  ok('the next version of a published survey starts from it and publishes');

  // The draft survives a reload.
  await editor.fill(survey.replace('"version": 1', '"version": 7'));
  await page.reload();
  await page.locator('#problems-summary', { hasText: 'version 7' }).waitFor({ timeout: 20000 });
  ok('the draft is kept over a reload, and so is the sign-in');
  await page.selectOption('#start-from', '+template');
  await page.locator('#problems-summary', { hasText: 'Valid: `my-survey` version 1' }).waitFor({ timeout: 10000 });
  ok('a new survey starts from the template');

  // Results of post-purchase version 1, by relationship type.
  await page.click('text=Results');
  await page.selectOption('#results-version', 'post-purchase@1');
  const row = (label) => page.locator('table.figures tbody tr', { has: page.locator('th', { hasText: `(${label})` }) });
  await row('business_partner').locator('td').first().filter({ hasText: '1' }).waitFor({ timeout: 20000 });
  const cells = async (label) => row(label).locator('td').allInnerTexts();
  const partnerCells = await cells('business_partner');
  const demandingCells = await cells('master_servant');
  const nobody = await cells('fling');
  check(partnerCells[0] === '1' && partnerCells[2] === '100.0', `business_partner row: ${partnerCells}`);
  check(demandingCells[0] === '1' && demandingCells[2] === '-100.0', `master_servant row: ${demandingCells}`);
  check(nobody[0] === '0' && nobody[2] === '–', `fling row: ${nobody}`);
  const total = await page.locator('table.figures tfoot td').allInnerTexts();
  check(total[0] === '2' && total[2] === '0.0', `total row: ${total}`);
  const bar = await row('business_partner').locator('svg.bar').getAttribute('aria-label');
  check(bar === '1 promoters, 0 passives, 0 detractors', `the NPS bar says ${bar}`);
  ok('results by relationship type: counts, NPS and its bar per type');
  await page.screenshot({ path: path.join(SHOTS, 'console-results.png') });

  // The free texts of one group, as text (the markup a customer typed is not run).
  await page.selectOption('#results-group', 'master_servant');
  await page.locator('.texts q', { hasText: 'Too slow <i>delivery</i>' }).waitFor({ timeout: 10000 })
    .catch(async () => { throw new Error(`no such text; questions: ${await page.locator('.question').allInnerTexts()}`); });
  check(await page.locator('.texts q', { hasText: 'Mehr Farben' }).count() === 0, 'only this group\'s text');
  ok('a group\'s free-text answers, shown as text');

  // The CSV export downloads with both responses.
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 20000 }),
    page.click('button:text-is("CSV")'),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  check(download.suggestedFilename() === 'post-purchase-v1.csv', `file name ${download.suggestedFilename()}`);
  check(csv.includes(partner.response_id) && csv.includes(demanding.response_id), `the CSV lacks a response:\n${csv}`);
  // For Excel set to German: the byte order mark (kept from the collector's bytes) and `;`.
  const [excel] = await Promise.all([
    page.waitForEvent('download', { timeout: 20000 }),
    page.click('button:text-is("CSV for Excel (German)")'),
  ]);
  const excelBytes = fs.readFileSync(await excel.path());
  check(excelBytes[0] === 0xef && excelBytes[1] === 0xbb && excelBytes[2] === 0xbf, 'the Excel CSV starts with a byte order mark');
  check(excelBytes.toString('utf8').split('\n')[0].includes(';'), 'the Excel CSV has ; between cells');
  ok('the CSV exports download with every response, Excel\'s with its byte order mark');

  check(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  await browser.close();
  cleanup();
  console.log(`${passed} passed, 0 failed`);
})().catch((err) => fail(err && err.stack ? err.stack : String(err)));
