// A stand-in for the `vscode` module, enough for the real vscode-languageclient to start a
// server and deliver its diagnostics outside VS Code (test/extension.test.js). It records
// what the extension shows: error messages, diagnostics by file, the output channel.
// API members a test does not depend on (providers, watchers, ...) are inert: callable,
// constructible, and disposable.
"use strict";
const { fileURLToPath, pathToFileURL } = require("node:url");

/** Inert stand-in for an API member nothing here looks at. */
const inert = new Proxy(function Inert() {}, {
  get: (target, key) =>
    key === "prototype" ? target.prototype : key === "then" || typeof key === "symbol" ? undefined : inert,
  apply: () => inert,
  construct: () => ({ dispose() {} }),
});

class Disposable {
  constructor(dispose) {
    this.dispose = dispose ?? (() => {});
  }
  static from(...disposables) {
    return new Disposable(() => disposables.forEach((d) => d?.dispose()));
  }
}

class EventEmitter {
  listeners = new Set();
  event = (listener, thisArg) => {
    const bound = listener.bind(thisArg);
    this.listeners.add(bound);
    return new Disposable(() => this.listeners.delete(bound));
  };
  fire(value) {
    for (const listener of this.listeners) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

class CancellationTokenSource {
  cancelled = new EventEmitter();
  token = { isCancellationRequested: false, onCancellationRequested: this.cancelled.event };
  cancel() {
    this.token.isCancellationRequested = true;
    this.cancelled.fire();
  }
  dispose() {
    this.cancelled.dispose();
  }
}

class Uri {
  constructor(url) {
    this.url = url;
    this.scheme = url.protocol.slice(0, -1);
    this.path = decodeURIComponent(url.pathname);
    this.fsPath = this.scheme === "file" ? fileURLToPath(url) : this.path;
  }
  static parse(text) {
    return new Uri(new URL(text));
  }
  static file(path) {
    return new Uri(pathToFileURL(path));
  }
  toString() {
    return this.url.href;
  }
}

class Position {
  constructor(line, character) {
    Object.assign(this, { line, character });
  }
}

class Range {
  constructor(...args) {
    const [start, end] = args.length === 4 ? [new Position(args[0], args[1]), new Position(args[2], args[3])] : args;
    Object.assign(this, { start, end });
  }
}

class Location {
  constructor(uri, range) {
    Object.assign(this, { uri, range });
  }
}

class Diagnostic {
  constructor(range, message, severity) {
    Object.assign(this, { range, message, severity });
  }
}

class DiagnosticRelatedInformation {
  constructor(location, message) {
    Object.assign(this, { location, message });
  }
}

/** What the extension did, for the test to check; `reset` starts a new session. */
const recorded = {
  errors: [],
  output: [],
  diagnostics: new Map(),
  reset() {
    this.errors.length = 0;
    this.output.length = 0;
    this.diagnostics.clear();
  },
};

function diagnosticCollection(name) {
  const set = (uri, diagnostics) => recorded.diagnostics.set(uri.fsPath, diagnostics ?? []);
  return {
    name,
    set(uriOrEntries, diagnostics) {
      if (Array.isArray(uriOrEntries)) uriOrEntries.forEach(([uri, d]) => set(uri, d));
      else set(uriOrEntries, diagnostics);
    },
    get: (uri) => recorded.diagnostics.get(uri.fsPath),
    has: (uri) => recorded.diagnostics.has(uri.fsPath),
    delete: (uri) => recorded.diagnostics.delete(uri.fsPath),
    clear: () => recorded.diagnostics.clear(),
    forEach: () => {},
    dispose: () => {},
  };
}

/** The output channel, recorded line by line (shown when a test fails). */
const written = ["append", "appendLine", "replace", "trace", "debug", "info", "warn", "error"];
const outputChannel = new Proxy(
  {},
  {
    get: (_, key) =>
      written.includes(key) ? (...args) => recorded.output.push(`${key}: ${args.join(" ")}`) : inert,
  },
);

const settings = new Map();
const configurationChanged = new EventEmitter();
const workspace = {
  workspaceFolders: [],
  textDocuments: [],
  notebookDocuments: [],
  getConfiguration: (section) => ({
    get: (key, fallback) => settings.get(`${section}.${key}`) ?? fallback,
  }),
  onDidChangeConfiguration: configurationChanged.event,
};

/** Changes a setting as the Settings editor would, telling the listeners. */
function configure(key, value) {
  settings.set(key, value);
  configurationChanged.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) });
}

const api = {
  version: "1.91.0",
  env: { appName: "vscode-stub", language: "en", machineId: "stub", sessionId: "stub" },
  Disposable,
  EventEmitter,
  CancellationTokenSource,
  Uri,
  Position,
  Range,
  Location,
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  workspace: new Proxy(workspace, { get: (target, key) => (key in target ? target[key] : inert) }),
  window: new Proxy(
    {
      visibleTextEditors: [],
      activeTextEditor: undefined,
      tabGroups: { all: [], onDidChangeTabs: inert },
      createOutputChannel: () => outputChannel,
      showErrorMessage: (message) => {
        recorded.errors.push(message);
        return Promise.resolve(undefined);
      },
    },
    { get: (target, key) => (key in target ? target[key] : inert) },
  ),
  languages: new Proxy(
    { createDiagnosticCollection: diagnosticCollection },
    { get: (target, key) => (key in target ? target[key] : inert) },
  ),
};

module.exports = {
  vscode: new Proxy(api, { get: (target, key) => (key in target ? target[key] : inert) }),
  recorded,
  settings,
  configure,
};
