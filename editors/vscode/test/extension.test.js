// The packaged extension run as far as it runs without VS Code: extension.js and the real
// vscode-languageclient from the unpacked .vsix, with test/vscode-stub.js as `vscode`,
// start the real `dbt-envlint server` on an example project and receive its diagnostics.
// Run by scripts/vscode-package with ENVLINT_EXTENSION (the unpacked .vsix's extension/
// folder), ENVLINT_BIN_DIR (the folder of the dbt-envlint binary) and ENVLINT_PROJECT.
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const Module = require("node:module");
const os = require("node:os");
const path = require("node:path");
const test = require("node:test");
const { vscode, recorded, settings, configure } = require("./vscode-stub");

const { ENVLINT_EXTENSION: extensionDir, ENVLINT_BIN_DIR: binDir, ENVLINT_PROJECT: project } = process.env;
assert.ok(extensionDir && binDir && project, "set ENVLINT_EXTENSION, ENVLINT_BIN_DIR and ENVLINT_PROJECT");

// `require("vscode")` from anywhere (extension.js, vscode-languageclient) gets the stub.
const stubId = path.join(__dirname, "vscode");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === "vscode" ? stubId : resolve.call(this, request, ...rest);
};
require.cache[stubId] = { id: stubId, filename: stubId, loaded: true, exports: vscode };

const extension = require(path.join(extensionDir, "extension.js"));
const profiles = path.join(project, "profiles.yml");
const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), "envlint-empty-path-"));
test.after(() => fs.rmSync(emptyDir, { recursive: true, force: true }));

/** A fresh window on `project`, with `PATH` as given and `dbtEnvlint.path` unset. */
function session(PATH) {
  recorded.reset();
  settings.clear();
  process.env.PATH = PATH;
  vscode.workspace.workspaceFolders = [{ uri: vscode.Uri.file(project), name: "project", index: 0 }];
  return { subscriptions: [] };
}

/** Waits until the server has published profiles.yml's diagnostics. */
async function profilesDiagnostics() {
  for (let waited = 0; waited < 30000; waited += 50) {
    const diagnostics = recorded.diagnostics.get(profiles);
    if (diagnostics?.length) return diagnostics;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`no diagnostics for ${profiles}; errors: ${recorded.errors}\n${recorded.output.join("\n")}`);
}

/** `target: prod` in profiles.yml (line 3), as the CLI reports it, linked to its rule page. */
function assertEnv101(diagnostics) {
  const env101 = diagnostics.find((d) => d.code?.value === "ENV101");
  assert.ok(env101, `no ENV101 among ${diagnostics.map((d) => d.code?.value)}`);
  assert.equal(env101.severity, vscode.DiagnosticSeverity.Error);
  assert.deepEqual(env101.range, new vscode.Range(2, 10, 2, 14));
  assert.match(env101.message, /^default target `prod` is a prod target/);
  assert.match(env101.code.target.toString(), /\/docs\/rules\/ENV101\.md$/);
  assert.equal(env101.source, "dbt-envlint");
}

// A client that never finishes starting fails the test instead of hanging the run.
const limit = { timeout: 60000 };

test("dbt-envlint on PATH: the server starts and publishes ENV101 for profiles.yml", limit, async () => {
  const context = session(binDir);
  await extension.activate(context);
  try {
    assertEnv101(await profilesDiagnostics());
    assert.deepEqual(recorded.errors, []);
  } finally {
    await extension.deactivate();
    context.subscriptions.forEach((d) => d.dispose());
  }
});

test("not found: one error naming the install; setting dbtEnvlint.path starts the server", limit, async () => {
  const context = session(emptyDir);
  await extension.activate(context);
  try {
    assert.equal(recorded.errors.length, 1);
    assert.match(recorded.errors[0], /`dbt-envlint` binary was not found on PATH nor in the workspace's \.venv/);
    assert.match(recorded.errors[0], /pip install git\+https:\/\/github\.com\/dbt-envlint\/dbt-envlint.*cargo install --path \..*dbtEnvlint\.path/);
    assert.equal(recorded.diagnostics.size, 0);
    configure("dbtEnvlint.path", path.join(binDir, "dbt-envlint"));
    assertEnv101(await profilesDiagnostics());
    assert.equal(recorded.errors.length, 1);
  } finally {
    await extension.deactivate();
    context.subscriptions.forEach((d) => d.dispose());
  }
});
