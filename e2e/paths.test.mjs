// End-to-end: the adaptation is visible. With the example survey (surveys/post-purchase.json)
// each of the six relationship types, high and low price (and a price in another currency than
// the bands'), and first and repeat purchase walk
// the path the model's example tests promise (crates/survey/tests/examples.rs), in the real
// bundle, and what reaches the endpoint says so and matches the published schema.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, validateResponse } from './support/server.mjs';
import { completeResponse, launch, open, rapportLogs, typicalAnswer, walk } from './support/browser.mjs';

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

/**
 * Shows the example survey for `context`, walks it with typical answers (or `answers`), and
 * returns the path, the posted response and the number of reassurance bullets seen per step.
 */
async function run(contextFields, { answers = {}, locale = 'en' } = {}) {
  orders += 1;
  const context = { order: { id: `P-${orders}`, currency: 'EUR' }, ...contextFields };
  context.order = { ...context.order, ...(contextFields.order ?? {}), id: `P-${orders}` };
  server.responses.length = 0;
  const url = server.page({
    embed: 'queue',
    options: {
      survey: '/surveys/post-purchase.json',
      endpoint: '/responses',
      target: '#rapport-survey',
      mode: 'inline',
      locale,
      context,
    },
  });
  const page = await open(browser, url);
  const bullets = {};
  const given = {};
  const path = await walk(page, {
    answerFor: (id, kind) => {
      const answer = id in answers ? answers[id] : typicalAnswer(id, kind);
      if (kind !== 'reassurance' && answer !== null) {
        given[id] = answer;
      }
      return answer;
    },
    onScreen: async (id, kind) => {
      if (kind === 'reassurance') {
        bullets[id] = await page.locator('[data-rapport-survey] .bullets li').count();
      }
    },
  });
  const { body } = await completeResponse(server);
  assert.deepEqual(await validateResponse(body), [], 'the payload matches the published schema');
  const answered = Object.fromEntries(Object.entries(body.answers).map(([id, a]) => [id, a.value]));
  assert.deepEqual(answered, given, 'the endpoint got exactly the answers given');
  const ending = await page.locator('[data-rapport-survey] .ending .heading').textContent();
  assert.deepEqual(page.errors.map(String), []);
  assert.deepEqual(rapportLogs(page, 'error'), []);
  await page.context().close();
  return { path, body, bullets, ending };
}

const REPEAT_LOW = { order: { total: 40 }, customer: { earlier_orders: 3 } };

const TYPES = [
  ['just_buying', ['reassure', 'satisfaction']],
  ['business_partner', ['reassure', 'nps', 'improvement', 'follow_up']],
  ['fling', ['reassure', 'excitement', 'inspiration']],
  ['best_friends', ['reassure', 'nps', 'data_use']],
  ['colleagues', ['reassure', 'nps', 'info_useful', 'updates']],
  ['master_servant', ['reassure', 'demands_met', 'nps', 'effort']],
];

for (const [type, expected] of TYPES) {
  test(`relationship type ${type} walks its own path`, LIMIT, async () => {
    const { path, body, ending } = await run({ ...REPEAT_LOW, relationship: type });
    assert.deepEqual(path, expected);
    assert.deepEqual(body.relationship, { type, source: 'explicit' });
    assert.equal(body.price_band, 'low');
    assert.equal(body.purchase, 'repeat');
    assert.equal(ending, 'Thank you!');
  });
}

const PURCHASES = [
  [40, 3, ['reassure', 'satisfaction'], 'low', 'repeat'],
  [649, 3, ['reassure', 'protection', 'satisfaction'], 'high', 'repeat'],
  [40, 0, ['welcome_first', 'reassure', 'satisfaction'], 'low', 'first'],
  [649, 0, ['welcome_first', 'reassure', 'protection', 'satisfaction'], 'high', 'first'],
  // The survey's bands are in EUR (`price_currency`): 649 yen are in no band, no high price.
  [649, 3, ['reassure', 'satisfaction'], undefined, 'repeat', 'JPY'],
];

for (const [total, earlier, expected, band, purchase, currency = 'EUR'] of PURCHASES) {
  test(`reassurance scales: total ${total} ${currency}, ${earlier} earlier orders (${band ?? 'no band'}, ${purchase} purchase)`, LIMIT, async () => {
    const { path, body, bullets } = await run({
      order: { total, currency },
      customer: { earlier_orders: earlier },
      relationship: 'just_buying',
    });
    assert.deepEqual(path, expected);
    assert.equal(body.price_band, band);
    assert.equal(body.purchase, purchase);
    // Repeat buyers are welcomed back; a high price adds the guarantee bullet.
    assert.equal(bullets.reassure, 3 + (earlier > 0 ? 1 : 0) + (band === 'high' ? 1 : 0));
  });
}

test('without a known type the screener decides', LIMIT, async () => {
  const { path, body } = await run(
    { order: { total: 40 }, customer: { earlier_orders: 2 } },
    { answers: { screener: 'fling' } },
  );
  assert.deepEqual(path, ['reassure', 'screener', 'excitement', 'inspiration']);
  assert.deepEqual(body.relationship, { type: 'fling', source: 'screener' });
});

test("a researcher's rule decides before the screener", LIMIT, async () => {
  const { path, body } = await run({ order: { total: 40 }, customer: { earlier_orders: 2, segment: 'key_account' } });
  assert.deepEqual(path, ['reassure', 'nps', 'improvement', 'follow_up']);
  assert.deepEqual(body.relationship, { type: 'business_partner', source: 'rule' });
});

test('unmet demands open the escalation path and its ending', LIMIT, async () => {
  const { path, ending } = await run(
    { ...REPEAT_LOW, relationship: 'master_servant' },
    { answers: { demands_met: 'partly', escalation: 'The grinder is missing.' } },
  );
  assert.deepEqual(path, ['reassure', 'demands_met', 'escalation', 'nps', 'effort']);
  assert.equal(ending, 'We are on it');
});
