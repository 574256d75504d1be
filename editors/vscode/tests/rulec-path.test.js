// The setting kaohe.rulecPath → the command that starts `rulec lsp`.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { resolveRulecPath } = require('../src/rulec-path');

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
