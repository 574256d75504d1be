// Just enough of the `vscode` module for the bundled client (dist/extension.js)
// to start and stop its language server outside VS Code: every name not given
// below is a universal stand-in that can be called, constructed, extended and
// read further, and that does nothing.
'use strict';

function universal(name) {
  const target = function stub() {};
  return new Proxy(target, {
    get(t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.iterator) return function* empty() {};
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === 'prototype') return t.prototype;
      if (prop in t) return t[prop];
      return universal(`${name}.${String(prop)}`);
    },
    apply() { return universal(`${name}()`); },
    construct() { return universal(`new ${name}`); },
  });
}

function stub(settings, messages) {
  const configuration = { get: (key, fallback) => (key in settings ? settings[key] : fallback), has: () => false, inspect: () => undefined, update: async () => {} };
  const overrides = {
    workspace: {
      getConfiguration: () => configuration,
      workspaceFolders: undefined,
      textDocuments: [],
      notebookDocuments: [],
    },
    window: {
      showErrorMessage: async (...args) => { messages.push(args[0]); return undefined; },
      showWarningMessage: async () => undefined,
      showInformationMessage: async () => undefined,
      visibleTextEditors: [],
      visibleNotebookEditors: [],
      tabGroups: { all: [] },
    },
    env: { language: 'en', appName: 'stub', machineId: 'stub', sessionId: 'stub' },
    version: '1.90.0',
  };
  const build = (name, given) => new Proxy(given, {
    get(t, prop) {
      if (prop in t) return t[prop];
      if (prop === 'then') return undefined;
      return universal(`${name}.${String(prop)}`);
    },
  });
  return build('vscode', Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, typeof v === 'object' ? build(k, v) : v])));
}

module.exports = { stub };
