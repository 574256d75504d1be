// Resolves the `kaohe.rulecPath` setting to the command that starts the
// language server. Kept free of the `vscode` module so that it is tested with
// plain `node --test` (tests/rulec-path.test.js).
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/**
 * The executable to run for `rulec lsp`.
 *
 * - empty or unset: `rulec`, looked up on PATH;
 * - `~/…`: relative to the home directory;
 * - `${workspaceFolder}/…`: relative to the first workspace folder (refused,
 *   with a message, when no folder is open);
 * - a bare name (`rulec`, `rulec-dev`): looked up on PATH;
 * - any other relative path (`target/debug/rulec`): relative to the first
 *   workspace folder, else left as it is.
 *
 * @param {string | undefined} setting the value of `kaohe.rulecPath`
 * @param {{ workspaceFolder?: string, home?: string }} env
 * @returns {{ command: string } | { error: string }}
 */
function resolveRulecPath(setting, env) {
  const raw = (setting ?? '').trim();
  if (raw === '') return { command: 'rulec' };
  let value = raw;
  if (value.includes('${workspaceFolder}')) {
    if (!env.workspaceFolder) {
      return { error: `kaohe.rulecPath \`${raw}\` uses \${workspaceFolder}, but no folder is open` };
    }
    value = value.split('${workspaceFolder}').join(env.workspaceFolder);
  }
  if (value === '~' || value.startsWith('~/')) {
    if (!env.home) return { error: `kaohe.rulecPath \`${raw}\` starts with ~, but the home directory is unknown` };
    value = path.join(env.home, value.slice(1));
  }
  const bareName = !value.includes('/') && !value.includes('\\');
  if (bareName || path.isAbsolute(value)) return { command: value };
  if (env.workspaceFolder) return { command: path.join(env.workspaceFolder, value) };
  return { command: value };
}

/**
 * Whether `command` names an executable file: the path itself when it holds a
 * separator, else the first match on PATH (with `.exe`/`.cmd` on Windows).
 *
 * @param {string} command
 * @param {{ PATH?: string, platform?: string }} env
 * @returns {string | undefined} the file found
 */
function locate(command, env) {
  const windows = (env.platform ?? process.platform) === 'win32';
  const names = windows && !/\.[A-Za-z]+$/.test(command) ? [command, `${command}.exe`, `${command}.cmd`] : [command];
  const executable = (file) => {
    try {
      fs.accessSync(file, windows ? fs.constants.F_OK : fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/') || command.includes('\\')) return names.find(executable);
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const found = names.map((name) => path.join(dir, name)).find(executable);
    if (found) return found;
  }
  return undefined;
}

module.exports = { resolveRulecPath, locate };
