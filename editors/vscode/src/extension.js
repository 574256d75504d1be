// The VS Code client of the kaohe language server: starts `rulec lsp` (the
// executable of the setting `kaohe.rulecPath`, default `rulec` on PATH) over
// stdio for every `.rules` file, and restarts it when the setting changes or on
// the command "kaohe: Restart the language server". Everything the editor
// shows beyond colours (diagnostics, hover, definitions, completion, outline,
// formatting, rename) comes from the server; this file only connects them.
'use strict';

const os = require('node:os');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');
const { resolveRulecPath, locate } = require('./rulec-path');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;

function serverOptions() {
  const setting = vscode.workspace.getConfiguration('kaohe').get('rulecPath');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const resolved = resolveRulecPath(setting, { workspaceFolder: folder, home: os.homedir() });
  if ('error' in resolved) return resolved;
  if (!locate(resolved.command, { PATH: process.env.PATH })) {
    return {
      error: `\`${resolved.command}\` was not found${resolved.command === 'rulec' ? ' on PATH' : ''}. ` +
        'Install rulec (`cargo install --locked --path crates/rulec`) or set `kaohe.rulecPath`',
    };
  }
  // No `transport`: the server speaks LSP on stdin/stdout, and
  // `TransportKind.stdio` would append `--stdio` to the arguments.
  const run = { command: resolved.command, args: ['lsp'] };
  return { options: { run, debug: run } };
}

async function start() {
  const server = serverOptions();
  if ('error' in server) {
    // Not awaited: activation does not wait for the user to click.
    vscode.window.showErrorMessage(`kaohe: ${server.error}.`, 'Open settings').then((action) => {
      if (action === 'Open settings') {
        vscode.commands.executeCommand('workbench.action.openSettings', 'kaohe.rulecPath');
      }
    });
    return;
  }
  client = new LanguageClient(
    'kaohe',
    'kaohe language server (rulec lsp)',
    server.options,
    {
      documentSelector: [
        { scheme: 'file', language: 'kaohe' },
        { scheme: 'untitled', language: 'kaohe' },
      ],
      outputChannel: output,
    },
  );
  try {
    await client.start();
  } catch {
    // vscode-languageclient has already shown the error, with a button to the
    // output channel that holds the server's stderr.
    client = undefined;
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (!running) return;
  try {
    await running.stop();
  } catch {
    // A server that already exited cannot be asked to shut down; the client
    // has logged it in the output channel. Nothing is left to stop.
  }
}

async function restart() {
  await stop();
  await start();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  output = vscode.window.createOutputChannel('kaohe language server');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('kaohe.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('kaohe.rulecPath')) restart();
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
