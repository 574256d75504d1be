// The bundled client (dist/extension.js, `npm run build`) outside VS Code:
// with a stub of the `vscode` module it must start `<kaohe.rulecPath> lsp`,
// complete the LSP handshake, shut the server down on deactivation, and say
// what to do when the executable is missing.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { stub } = require('./client/vscode-stub');

const bundle = path.join(__dirname, '..', 'dist', 'extension.js');
const fake = path.join(__dirname, 'client', 'fake-rulec');

function loadClient(settings, messages) {
  const vscode = stub(settings, messages);
  const load = Module._load;
  Module._load = function intercept(request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  try {
    delete require.cache[bundle];
    return require(bundle);
  } finally {
    Module._load = load;
  }
}

async function until(condition, what) {
  for (let i = 0; i < 200; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('the client starts `rulec lsp`, completes the handshake and stops the server', async () => {
  assert.ok(fs.existsSync(bundle), 'dist/extension.js is missing: run `npm run build`');
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kaohe-client-')), 'methods');
  fs.writeFileSync(log, '');
  process.env.KAOHE_FAKE_LOG = log;
  const messages = [];
  const client = loadClient({ rulecPath: fake }, messages);
  const context = { subscriptions: [] };
  await client.activate(context);
  const methods = () => fs.readFileSync(log, 'utf8').trim().split('\n');
  await until(() => methods().includes('initialized'), 'initialized');
  assert.deepEqual(methods().slice(0, 3), ['argv lsp', 'initialize', 'initialized']);
  assert.deepEqual(messages, []);
  await client.deactivate();
  await until(() => methods().includes('exit'), 'exit');
  assert.deepEqual(methods().slice(-2), ['shutdown', 'exit']);
});

test('a missing rulec is reported with what to do', async () => {
  const messages = [];
  const client = loadClient({ rulecPath: '/nonexistent/kaohe/rulec' }, messages);
  await client.activate({ subscriptions: [] });
  assert.equal(messages.length, 1, `messages: ${JSON.stringify(messages)}`);
  assert.match(messages[0], /`\/nonexistent\/kaohe\/rulec` was not found/);
  assert.match(messages[0], /kaohe\.rulecPath/);
  await client.deactivate();
});

test('deactivating while a crashed server is being restarted does not fail', async () => {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kaohe-client-')), 'methods');
  fs.writeFileSync(log, '');
  process.env.KAOHE_FAKE_LOG = log;
  process.env.KAOHE_FAKE_CRASH = '1';
  try {
    const client = loadClient({ rulecPath: fake }, []);
    await client.activate({ subscriptions: [] });
    // vscode-languageclient restarts a crashed server (4 times, then gives up);
    // deactivate in the middle of that.
    await until(() => fs.readFileSync(log, 'utf8').includes('initialized'), 'initialized');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await client.deactivate();
  } finally {
    // Let every server still being started crash too, so none outlives the
    // test: wait until the log has not grown for 2 s.
    let before = '';
    let quiet = 0;
    await until(() => {
      const now = fs.readFileSync(log, 'utf8');
      quiet = now === before ? quiet + 1 : 0;
      before = now;
      return quiet >= 20;
    }, 'the restarts to end');
    delete process.env.KAOHE_FAKE_CRASH;
  }
});

// With the workspace's own `rulec` (target/debug/rulec, which `cargo test`
// and `cargo build` make; KAOHE_RULEC overrides): the real server accepts the
// client's `rulec lsp`, its initialize and its shutdown. Skipped, saying why,
// when that rulec has no `lsp` command (before the server was merged).
const realRulec = process.env.KAOHE_RULEC ?? path.join(__dirname, '..', '..', '..', 'target', 'debug', 'rulec');
const hasServer = (() => {
  const run = require('node:child_process').spawnSync(realRulec, ['lsp', '--help'], { encoding: 'utf8' });
  return run.status === 0;
})();

test('the client starts and stops the real `rulec lsp`', { skip: hasServer ? false : `${realRulec} has no \`lsp\` command` }, async () => {
  // vscode-languageclient reports a failed start or stop with showErrorMessage.
  const messages = [];
  const client = loadClient({ rulecPath: realRulec }, messages);
  await client.activate({ subscriptions: [] });
  assert.deepEqual(messages, [], 'the server did not start');
  await client.deactivate();
  assert.deepEqual(messages, [], 'the server did not stop');
});
