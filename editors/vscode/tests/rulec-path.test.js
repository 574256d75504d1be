// The setting kaohe.rulecPath → the command that starts `rulec lsp`.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { resolveRulecPath, locate } = require('../src/rulec-path');

const env = { workspaceFolder: '/home/ann/county', home: '/home/ann' };

test('unset or blank: rulec on PATH', () => {
  assert.deepEqual(resolveRulecPath(undefined, env), { command: 'rulec' });
  assert.deepEqual(resolveRulecPath('  ', env), { command: 'rulec' });
});

test('a bare name is looked up on PATH, an absolute path is kept', () => {
  assert.deepEqual(resolveRulecPath('rulec-dev', env), { command: 'rulec-dev' });
  assert.deepEqual(resolveRulecPath('/opt/kaohe/bin/rulec', env), { command: '/opt/kaohe/bin/rulec' });
});

test('~ and ${workspaceFolder} are expanded; a relative path is relative to the folder', () => {
  assert.deepEqual(resolveRulecPath('~/.cargo/bin/rulec', env), { command: '/home/ann/.cargo/bin/rulec' });
  assert.deepEqual(resolveRulecPath('${workspaceFolder}/target/debug/rulec', env), { command: '/home/ann/county/target/debug/rulec' });
  assert.deepEqual(resolveRulecPath('target/debug/rulec', env), { command: '/home/ann/county/target/debug/rulec' });
  assert.deepEqual(resolveRulecPath('target/debug/rulec', {}), { command: 'target/debug/rulec' });
});

test('${workspaceFolder} without an open folder is refused with a message', () => {
  const result = resolveRulecPath('${workspaceFolder}/rulec', { home: '/home/ann' });
  assert.ok('error' in result);
  assert.match(result.error, /no folder is open/);
});

test('locate finds an executable by path or on PATH, and nothing else', () => {
  const fake = path.join(__dirname, 'client', 'fake-rulec');
  assert.equal(locate(fake, { PATH: '' }), fake);
  assert.equal(locate('fake-rulec', { PATH: `/nonexistent${path.delimiter}${path.dirname(fake)}` }), fake);
  assert.equal(locate('fake-rulec', { PATH: '/nonexistent' }), undefined);
  assert.equal(locate('/nonexistent/rulec', { PATH: path.dirname(fake) }), undefined);
  // A file that is not executable does not count.
  assert.equal(locate(path.join(__dirname, 'grammar.test.js'), { PATH: '' }), undefined);
});
