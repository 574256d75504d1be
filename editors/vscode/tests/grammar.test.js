// Checks that keep the TextMate grammar in step with grammar/kaohe.pest (the
// one source of truth of the syntax) and with the shipped rulesets.
// Run with `node --test tests/` (part of `npm test`).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..', '..');
const pest = fs.readFileSync(path.join(root, 'grammar', 'kaohe.pest'), 'utf8');
const tmLanguage = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'syntaxes', 'kaohe.tmLanguage.json'), 'utf8'),
);

// Every word literal of the pest grammar: "ruleset", "half_even", ...
function pestKeywords(text) {
  const words = new Set();
  for (const line of text.split('\n')) {
    const code = line.replace(/\/\/.*$/, '');
    for (const m of code.matchAll(/"([a-z][a-z_]*)"/g)) words.add(m[1]);
  }
  return words;
}

// Every word listed in an alternation group `(a|b|c)` of a `match`/`begin`
// regex of the tmLanguage: the words it highlights as keywords.
function tmWords(node, out = new Set()) {
  if (Array.isArray(node)) {
    node.forEach((n) => tmWords(n, out));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'match' || key === 'begin') && typeof value === 'string') {
        for (const group of value.matchAll(/\(((?:[a-z_]+\|)*[a-z_]+)\)/g)) {
          group[1].split('|').forEach((w) => out.add(w));
        }
      } else {
        tmWords(value, out);
      }
    }
  }
  return out;
}

// Words the tmLanguage highlights that are not literals of the pest grammar:
// the field types, the functions and `unit` of docs/language.md.
const NOT_PEST = new Set([
  'integer', 'decimal', 'date', 'text', 'bool',
  'min', 'max', 'abs', 'ceil', 'overdue', 'present', 'previous',
  'unit',
]);

test('the pest grammar yields its keywords (the extraction works)', () => {
  const words = pestKeywords(pest);
  for (const w of ['ruleset', 'deduct', 'half_even', 'straddling', 'otherwise', 'and', 'true']) {
    assert.ok(words.has(w), `expected ${w} among the pest keywords`);
  }
  assert.ok(words.size > 80, `only ${words.size} keywords found`);
});

test('every keyword of grammar/kaohe.pest is highlighted by the tmLanguage', () => {
  const highlighted = tmWords(tmLanguage);
  const missing = [...pestKeywords(pest)].filter((w) => !highlighted.has(w)).sort();
  assert.deepEqual(missing, [], `keywords of grammar/kaohe.pest missing in syntaxes/kaohe.tmLanguage.json: ${missing.join(', ')}`);
});

test('the tmLanguage highlights no word the language does not have', () => {
  const keywords = pestKeywords(pest);
  const unknown = [...tmWords(tmLanguage)].filter((w) => !keywords.has(w) && !NOT_PEST.has(w)).sort();
  assert.deepEqual(unknown, [], `words in syntaxes/kaohe.tmLanguage.json that are not keywords of grammar/kaohe.pest: ${unknown.join(', ')}`);
});

test('every shipped ruleset has a grammar snapshot test', () => {
  const rulesets = fs.readdirSync(path.join(root, 'rulesets'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => fs.readdirSync(path.join(root, 'rulesets', d.name))
      .filter((f) => f.endsWith('.rules'))
      .map((f) => path.join('rulesets', d.name, f)));
  assert.ok(rulesets.length >= 3, 'the shipped rulesets were not found');
  const snapDir = path.join(__dirname, 'snap');
  for (const ruleset of rulesets) {
    const link = path.join(snapDir, path.basename(ruleset));
    assert.ok(fs.existsSync(link), `${ruleset} has no snapshot test: run \`ln -s ../../../../${ruleset} editors/vscode/tests/snap/\` and \`npm run snap:update\``);
    assert.equal(fs.realpathSync(link), path.join(root, ruleset), `${link} must be a link to ${ruleset}`);
    assert.ok(fs.existsSync(`${link}.snap`), `${ruleset} has no snapshot: run \`npm run snap:update\` in editors/vscode and read the new .snap`);
  }
});

test('the extension has the version of the workspace (Cargo.toml)', () => {
  const cargo = fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
  const workspace = cargo.match(/\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/);
  assert.ok(workspace, 'no version in [workspace.package] of Cargo.toml');
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  assert.equal(manifest.version, workspace[1], 'editors/vscode/package.json and package-lock.json must have the version of [workspace.package] in Cargo.toml');
});
