// The published JSON Schemas as a researcher's editor or a shop's backend uses them: they
// compile in ajv's strict mode as they are (no formats to register), the example surveys and
// the README's response example are valid, and what the validator refuses at the top level
// (a version below 1, an id with spaces, no steps) the schema refuses too.
//
//   node --test e2e/schema.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { REPO } from './support/browser.mjs';

async function strictValidator(name) {
  const module = await import('../tools/node_modules/ajv/dist/2020.js');
  const Ajv2020 = module.default.default ?? module.default;
  const warnings = [];
  const ajv = new Ajv2020({ allErrors: true, strict: true, logger: { log() {}, warn: (w) => warnings.push(w), error: (e) => warnings.push(e) } });
  const schema = JSON.parse(await readFile(join(REPO, 'schema', name), 'utf8'));
  const validate = ajv.compile(schema);
  return { validate, warnings };
}

test('the survey schema compiles strictly and agrees with the validator on the top level', async () => {
  const { validate, warnings } = await strictValidator('survey.schema.json');
  assert.deepEqual(warnings, [], 'no strict-mode warnings');
  const dir = join(REPO, 'surveys');
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  assert.ok(files.length >= 1);
  for (const name of files) {
    const survey = JSON.parse(await readFile(join(dir, name), 'utf8'));
    assert.ok(validate(survey), `${name}: ${JSON.stringify(validate.errors)}`);
  }
  const example = JSON.parse(await readFile(join(dir, files[0]), 'utf8'));
  for (const [change, path] of [
    [(s) => { s.version = 0; }, '/version'],
    [(s) => { s.id = 'Schritt 1'; }, '/id'],
    [(s) => { s.steps = []; }, '/steps'],
    [(s) => { s.steps[0].id = 'Erster Schritt'; }, '/steps/0/id'],
    [(s) => { s.price_bands = [{ id: 'low', from: -5 }]; }, '/price_bands/0/from'],
  ]) {
    const broken = structuredClone(example);
    change(broken);
    assert.equal(validate(broken), false, `${path} should be refused`);
    assert.ok(validate.errors.some((e) => e.instancePath === path), `${path}: ${JSON.stringify(validate.errors)}`);
  }
});

test('the response schema compiles strictly', async () => {
  const { warnings } = await strictValidator('response.schema.json');
  assert.deepEqual(warnings, [], 'no strict-mode warnings');
});
