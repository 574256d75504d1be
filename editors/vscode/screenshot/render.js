// Renders the screenshots of docs/editor.md and docs/new-county.md: a ruleset
// with an error underlined and a hover open.
//
// VS Code itself cannot be installed where this was written, so the picture is
// made of its parts: Monaco (the editor core of VS Code, from npm) in headless
// Chromium, coloured by THIS extension's TextMate grammar
// (syntaxes/kaohe.tmLanguage.json, tokenised with vscode-textmate and
// vscode-oniguruma, the libraries VS Code uses) with the colours of VS Code's
// default "Light+" theme, showing the diagnostics and the hover that the
// language server `rulec lsp` sends in one LSP session (or, when the rulec at
// hand has no server, `rulec check --format json` and a mock-up hover).
// docs/editor.md says exactly what is real and what is not.
//
// Run by hand from this folder (not in CI):
//   npm ci && node render.js
// Needs /usr/bin/chromium (or CHROMIUM=path) and the fonts-noto-cjk package;
// rulec is `cargo run -q -p rulec --` unless RULEC=path is given.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');
const { chromium } = require('playwright-core');

const here = __dirname;
const root = path.resolve(here, '..', '..', '..');
const out = path.join(here, 'out');

// The shipped example ruleset with one typo, as a rule author makes it: the
// record kind `progress` spelled `progres` in the rule `behind`.
const SOURCE = 'rulesets/example-county/example-county.rules';
const TYPO = ['    per progress where behind', '    per progres where behind'];

// VS Code's "Light+" theme (light_vs.json + light_plus.json of
// microsoft/vscode), the rules that touch this grammar's scopes.
const THEME = [
  ['comment', '008000'],
  ['string', 'a31515'],
  ['constant.character.escape', 'ee0000'],
  ['constant.numeric', '098658'],
  ['constant.language', '0000ff'],
  ['keyword', '0000ff'],
  ['keyword.control', 'af00db'],
  ['keyword.operator', '000000'],
  ['storage', '0000ff'],
  ['storage.type', '0000ff'],
  ['entity.name.function', '795e26'],
  ['support.function', '795e26'],
  ['entity.name.type', '267f99'],
  ['entity.name.namespace', '267f99'],
  ['support.type', '267f99'],
  ['variable', '001080'],
  ['entity.name.variable', '001080'],
  ['variable.other.enummember', '0070c1'],
  ['variable.other.constant', '0070c1'],
  ['variable.language', '0000ff'],
  ['invalid', 'cd3131'],
];

function themed(scope) {
  return THEME.some(([prefix]) => scope === prefix || scope.startsWith(`${prefix}.`));
}

// The innermost scope of a token that the theme colours (as VS Code matches a
// theme against the whole scope stack); the outermost when none is.
function scopeForTheme(scopes) {
  for (let i = scopes.length - 1; i >= 0; i -= 1) {
    if (themed(scopes[i])) return scopes[i];
  }
  return scopes[0];
}

async function tokenize(text) {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== 'source.kaohe') return null;
      const file = path.join(here, '..', 'syntaxes', 'kaohe.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  const grammar = await registry.loadGrammar('source.kaohe');
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ startIndex: t.startIndex, scopes: scopeForTheme(t.scopes) }));
  });
}

function rulecCommand() {
  if (process.env.RULEC) {
    const rulec = process.env.RULEC.includes('/') ? path.resolve(process.env.RULEC) : process.env.RULEC;
    return [rulec, []];
  }
  return ['cargo', ['run', '-q', '-p', 'rulec', '--']];
}

function rulecCheck(file) {
  const [command, args] = rulecCommand();
  const run = spawnSync(command, [...args, 'check', '--format', 'json', file], { cwd: root, encoding: 'utf8' });
  if (run.error) throw run.error;
  const diagnostics = JSON.parse(run.stdout);
  if (!Array.isArray(diagnostics) || diagnostics.length === 0) {
    throw new Error(`rulec check found nothing in ${file}: ${run.stdout}${run.stderr}`);
  }
  return diagnostics;
}

// One session with the language server `rulec lsp`, as VS Code holds it: open
// the file, take the diagnostics it publishes, ask for the hovers at
// `positions(diagnostics)` (1-based line and column), shut it down. Resolves
// to undefined when the server cannot be started (a rulec without \`lsp\`).
function lspSession(file, text, positions) {
  const [command, args] = rulecCommand();
  const { spawn } = require('node:child_process');
  const server = spawn(command, [...args, 'lsp'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  const uri = pathToFileURL(file).href;
  let nextId = 1;
  const waiting = new Map();
  let onDiagnostics;
  const send = (message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    server.stdin.write(body);
  };
  const request = (method, params) => new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    send({ id, method, params });
  });
  let buffer = Buffer.alloc(0);
  server.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())[1]);
      if (buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      buffer = buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && waiting.has(message.id)) {
        const { resolve, reject } = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error) reject(new Error(message.error.message)); else resolve(message.result);
      } else if (message.method === 'textDocument/publishDiagnostics' && message.params.uri === uri && onDiagnostics) {
        onDiagnostics(message.params.diagnostics);
      }
    }
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => { stderr += chunk; });
  const failed = new Promise((resolve) => {
    server.on('error', () => resolve(undefined));
    server.on('exit', () => resolve(undefined));
  });
  const session = (async () => {
    await request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).href,
      capabilities: {
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true },
        },
        general: { positionEncodings: ['utf-16'] },
      },
    });
    send({ method: 'initialized', params: {} });
    const published = new Promise((resolve) => { onDiagnostics = resolve; });
    send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'kaohe', version: 1, text } } });
    const diagnostics = await published;
    const hovers = [];
    for (const at of positions(diagnostics)) {
      const result = await request('textDocument/hover', {
        textDocument: { uri },
        position: { line: at.line - 1, character: at.column - 1 },
      });
      if (result) hovers.push({ at, result });
    }
    await request('shutdown', null);
    send({ method: 'exit' });
    return { diagnostics, hovers };
  })();
  const timeout = new Promise((resolve) => setTimeout(() => resolve(undefined), 60000).unref());
  return Promise.race([session, failed, timeout]).then((result) => {
    if (!result) {
      server.kill();
      console.warn(`rulec lsp did not answer (${stderr.trim().split('\n').pop() ?? ''}); using rulec check and a mock-up hover`);
    }
    return result;
  });
}

// The hover text of an LSP Hover result, as markdown strings.
function hoverMarkdown(contents) {
  const parts = Array.isArray(contents) ? contents : [contents];
  return parts.map((part) => (typeof part === 'string' ? part : part.kind === 'plaintext' ? part.value.replace(/[\\`*_[\]<>]/g, '\\$&') : part.value));
}

// What the language server shows on a clause id (issue 16 §1: "a clause id
// shows its clause text and the assumptions citing it"), computed here from
// the ruleset's `clause` and `assumption` declarations: a mock-up of the
// server's hover, not its output.
function clauseHovers(text) {
  const declared = new Map();
  for (const m of text.matchAll(/^(clause|assumption) \[([^\]]+)\] "((?:[^"\\]|\\.)*)"/gm)) {
    declared.set(m[2], { kind: m[1], text: m[3] });
  }
  const citations = [];
  text.split('\n').forEach((line, index) => {
    if (/^(clause|assumption) /.test(line)) return;
    for (const cite of line.matchAll(/\[([^\]]*)\]/g)) {
      const ids = [];
      for (const id of cite[1].matchAll(/[^\s,]+/g)) {
        ids.push({ id: id[0], line: index + 1, start: cite.index + 1 + id.index + 1 });
      }
      citations.push(ids);
    }
  });
  const hovers = [];
  for (const ids of citations) {
    for (const { id, line, start } of ids) {
      const decl = declared.get(id);
      if (!decl) continue;
      const withIt = new Set();
      for (const other of citations) {
        if (!other.some((o) => o.id === id)) continue;
        other.filter((o) => o.id !== id && declared.get(o.id)?.kind === 'assumption').forEach((o) => withIt.add(o.id));
      }
      const contents = [`**${decl.kind} ${id}**`, decl.text];
      if (decl.kind === 'clause' && withIt.size > 0) {
        contents.push([...withIt].sort().map((a) => `assumption **${a}**: ${declared.get(a).text}`).join('\n\n'));
      }
      hovers.push({ line, startColumn: start, endColumn: start + id.length, contents });
    }
  }
  return hovers;
}

function page({ text, tokens, markers, hovers, title }) {
  const vs = pathToFileURL(path.join(here, 'node_modules', 'monaco-editor', 'min', 'vs')).href;
  const data = JSON.stringify({ text, tokens, markers, hovers, theme: THEME });
  return `<!doctype html>
<html><head><meta charset="utf-8">
<style>
  html, body { margin: 0; height: 100%; background: #fff; font-family: 'DejaVu Sans', 'Noto Sans CJK SC', sans-serif; }
  #tab { height: 35px; display: flex; align-items: center; background: #f3f3f3; border-bottom: 1px solid #e5e5e5; font-size: 13px; color: #333; }
  #tab span { background: #fff; height: 100%; display: flex; align-items: center; padding: 0 14px; border-right: 1px solid #e5e5e5; }
  #editor { position: absolute; top: 36px; bottom: 0; left: 0; right: 0; }
</style></head>
<body><div id="tab"><span>${title}</span></div><div id="editor"></div>
<script src="${vs}/loader.js"></script>
<script>
  const data = ${data};
  require.config({ paths: { vs: '${vs}' } });
  require(['vs/editor/editor.main'], () => {
    monaco.languages.register({ id: 'kaohe', extensions: ['.rules'] });
    class LineState {
      constructor(line) { this.line = line; }
      clone() { return new LineState(this.line); }
      equals(other) { return other instanceof LineState && other.line === this.line; }
    }
    monaco.languages.setTokensProvider('kaohe', {
      getInitialState: () => new LineState(0),
      tokenize: (line, state) => ({ tokens: data.tokens[state.line] || [], endState: new LineState(state.line + 1) }),
    });
    monaco.languages.registerHoverProvider('kaohe', {
      provideHover: (model, position) => {
        const h = data.hovers.find((x) => x.line === position.lineNumber
          && x.startColumn <= position.column && position.column < x.endColumn);
        if (!h) return null;
        return {
          range: new monaco.Range(h.line, h.startColumn, h.line, h.endColumn),
          contents: h.contents.map((value) => ({ value })),
        };
      },
    });
    monaco.editor.defineTheme('light-plus', {
      base: 'vs', inherit: false,
      rules: [{ token: '', foreground: '000000' }, ...data.theme.map(([token, foreground]) => ({ token, foreground }))],
      colors: { 'editor.background': '#ffffff' },
    });
    const editor = monaco.editor.create(document.getElementById('editor'), {
      value: data.text, language: 'kaohe', theme: 'light-plus',
      fontFamily: "'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', monospace", fontSize: 14, lineHeight: 20,
      minimap: { enabled: false }, scrollBeyondLastLine: false, automaticLayout: true,
      hover: { delay: 0, above: false }, renderLineHighlight: 'line',
    });
    monaco.editor.setModelMarkers(editor.getModel(), 'rulec', data.markers);
    window.kaoheEditor = editor;
    window.kaoheReady = true;
  });
</script></body></html>`;
}

async function showHover(tab, { lineNumber, column, above }) {
  await tab.evaluate((where) => {
    const editor = window.kaoheEditor;
    editor.updateOptions({ hover: { delay: 0, above: where.above } });
    editor.setPosition({ lineNumber: where.lineNumber, column: where.column });
    editor.focus();
    editor.trigger('render', 'editor.action.showHover', {});
  }, { lineNumber, column, above });
}

async function shoot(tab, name) {
  await tab.waitForTimeout(300);
  const png = path.join(root, 'docs', 'img', name);
  await tab.screenshot({ path: png });
  console.log(`wrote ${path.relative(root, png)}`);
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const original = fs.readFileSync(path.join(root, SOURCE), 'utf8');
  if (original.split(TYPO[0]).length !== 2) throw new Error(`\`${TYPO[0]}\` is not once in ${SOURCE}`);
  const text = original.replace(TYPO[0], TYPO[1]);
  const broken = path.join(out, path.basename(SOURCE));
  fs.writeFileSync(broken, text);

  const mock = clauseHovers(text);
  const lsp = await lspSession(broken, text, (published) => {
    const error = published[0];
    if (!error) return [];
    const line = error.range.start.line + 1;
    const column = error.range.start.character + 1;
    return [{ line, column: column + 2 }, ...mock.filter((h) => h.line === line - 1).slice(0, 1).map((h) => ({ line: h.line, column: h.startColumn + 1 }))];
  });
  let markers;
  let hovers;
  let first;
  let clause;
  if (lsp) {
    // Everything from the server: its diagnostics and its hovers.
    markers = lsp.diagnostics.map((d) => ({
      severity: d.severity === 1 ? 8 : d.severity === 2 ? 4 : 2,
      message: d.message,
      code: typeof d.code === 'object' ? d.code.value : d.code,
      source: d.source,
      startLineNumber: d.range.start.line + 1,
      startColumn: d.range.start.character + 1,
      endLineNumber: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
    }));
    hovers = lsp.hovers.map(({ at, result }) => ({
      line: result.range ? result.range.start.line + 1 : at.line,
      startColumn: result.range ? result.range.start.character + 1 : at.column,
      endColumn: result.range ? result.range.end.character + 1 : at.column + 1,
      contents: hoverMarkdown(result.contents),
    }));
    first = { line: markers[0].startLineNumber, column: markers[0].startColumn };
    clause = hovers.find((h) => h.line === first.line - 1);
    console.log(`rulec lsp: ${markers.length} diagnostic(s), ${hovers.length} hover(s)`);
  } else {
    const diagnostics = rulecCheck(broken);
    // As the language server publishes them: message, then help; code; source.
    markers = diagnostics.map((d) => ({
      severity: d.severity === 'error' ? 8 : 4,
      message: d.help ? `${d.message}\nhelp: ${d.help}` : d.message,
      code: d.code,
      source: 'rulec',
      startLineNumber: d.line,
      startColumn: d.column,
      endLineNumber: d.end.line,
      endColumn: d.end.column,
    }));
    hovers = mock;
    first = diagnostics[0];
    clause = hovers.find((h) => h.line === first.line - 1);
  }
  const tokens = await tokenize(text);
  const html = path.join(out, 'page.html');
  fs.writeFileSync(html, page({ text, tokens, markers, hovers, title: path.basename(SOURCE) }));

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--allow-file-access-from-files', '--no-sandbox'],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 1000, height: 560 }, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(html).href);
    await tab.waitForFunction(() => window.kaoheReady === true);
    await tab.evaluate(() => window.kaoheEditor.setScrollTop(window.kaoheEditor.getTopForLineNumber(121)));

    // 1. The error: hover on the underlined name.
    await showHover(tab, { lineNumber: first.line, column: first.column + 2, above: false });
    await tab.waitForSelector('.monaco-hover .marker', { state: 'visible' });
    await shoot(tab, 'vscode-error-hover.png');

    // 2. A clause id: hover on the first citation of the line above the error.
    if (!clause) throw new Error(`no hover on a clause id on line ${first.line - 1}`);
    await tab.mouse.move(5, 5);
    await tab.keyboard.press('Escape');
    await showHover(tab, { lineNumber: clause.line, column: clause.startColumn + 1, above: true });
    await tab.waitForSelector('.monaco-hover .hover-contents', { state: 'visible' });
    await shoot(tab, 'vscode-clause-hover.png');
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
