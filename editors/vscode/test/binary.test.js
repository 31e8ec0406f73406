// binary.js's lookup order checked on real files: `dbtEnvlint.path` (absolute, relative,
// a name on PATH, `~` and `${workspaceFolder}` expanded), then PATH, then the workspace's
// .venv, and the error shown when nothing is found. Run: node --test test/
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const test = require("node:test");
const { findBinary } = require("../binary");

/** A scratch folder with `files` created in it (executable unless listed in `plain`). */
function scratch(files, plain = []) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "envlint-binary-"));
  for (const file of [...files, ...plain]) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), "#!/bin/sh\n", { mode: files.includes(file) ? 0o755 : 0o644 });
  }
  test.after(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

const posix = { platform: "linux", home: "/nonexistent-home" };
const pathOf = (root, ...dirs) => dirs.map((dir) => path.join(root, dir)).join(":");

test("a configured absolute path is started, and is not replaced by PATH when missing", () => {
  const root = scratch(["tools/envlint", "bin/dbt-envlint"]);
  const env = { PATH: pathOf(root, "bin") };
  const configured = path.join(root, "tools/envlint");
  assert.deepEqual(findBinary({ ...posix, configured, env }), { command: configured });
  const missing = findBinary({ ...posix, configured: path.join(root, "tools/gone"), env });
  assert.match(missing.error, /`dbtEnvlint.path` is `.*tools\/gone`, but `.*tools\/gone` is not an executable file/);
});

test("a configured name is looked up on PATH", () => {
  const root = scratch(["a/other", "b/envlint-dev"]);
  const env = { PATH: pathOf(root, "a", "b") };
  const found = findBinary({ ...posix, configured: "envlint-dev", env });
  assert.deepEqual(found, { command: path.join(root, "b/envlint-dev") });
  assert.match(findBinary({ ...posix, configured: "nope", env }).error, /`nope` on PATH is not/);
});

test("~ and ${userHome} are the home folder", () => {
  const home = scratch([".cargo/bin/dbt-envlint"]);
  const command = path.join(home, ".cargo/bin/dbt-envlint");
  for (const configured of ["~/.cargo/bin/dbt-envlint", "${userHome}/.cargo/bin/dbt-envlint"]) {
    assert.deepEqual(findBinary({ ...posix, home, configured, env: {} }), { command });
  }
});

test("${workspaceFolder} and relative paths are the first workspace folder", () => {
  const folder = scratch(["tools/dbt-envlint"]);
  const command = path.join(folder, "tools/dbt-envlint");
  for (const configured of ["${workspaceFolder}/tools/dbt-envlint", "./tools/dbt-envlint"]) {
    assert.deepEqual(findBinary({ ...posix, configured, folders: [folder], env: {} }), { command });
  }
});

test("unset: the first dbt-envlint on PATH that can run, before the .venv", () => {
  const root = scratch(["second/dbt-envlint", "project/.venv/bin/dbt-envlint"], ["first/dbt-envlint"]);
  const env = { PATH: pathOf(root, "empty", "first", "second") };
  const found = findBinary({ ...posix, folders: [path.join(root, "project")], env });
  assert.deepEqual(found, { command: path.join(root, "second/dbt-envlint") });
});

test("not on PATH: the .venv of a workspace folder", () => {
  const root = scratch(["two/.venv/bin/dbt-envlint"]);
  const folders = [path.join(root, "one"), path.join(root, "two")];
  const found = findBinary({ ...posix, folders, env: { PATH: pathOf(root, "bin") } });
  assert.deepEqual(found, { command: path.join(root, "two/.venv/bin/dbt-envlint") });
});

test("Windows: Path, .exe and .venv\\Scripts", () => {
  const runnable = new Set(["C:\\tools\\dbt-envlint.exe", "C:\\proj\\.venv\\Scripts\\dbt-envlint.exe"]);
  const windows = { platform: "win32", home: "C:\\Users\\me", executable: (file) => runnable.has(file) };
  const viaPath = findBinary({ ...windows, env: { Path: "C:\\bin;C:\\tools" } });
  assert.deepEqual(viaPath, { command: "C:\\tools\\dbt-envlint.exe" });
  const viaVenv = findBinary({ ...windows, folders: ["C:\\proj"], env: { Path: "C:\\bin" } });
  assert.deepEqual(viaVenv, { command: "C:\\proj\\.venv\\Scripts\\dbt-envlint.exe" });
});

test("nothing found: one error that says where it looked and how to install", () => {
  const root = scratch([], ["bin/dbt-envlint"]);
  const folder = path.join(root, "project");
  const found = findBinary({ ...posix, folders: [folder], env: { PATH: pathOf(root, "bin") } });
  assert.deepEqual(Object.keys(found), ["error"]);
  assert.equal(
    found.error,
    `dbt-envlint: the \`dbt-envlint\` binary was not found on PATH nor in the workspace's .venv ` +
      `(\`${folder}/.venv/bin/dbt-envlint\`). Install it with ` +
      "`pip install git+https://github.com/dbt-envlint/dbt-envlint` in the " +
      "project's virtualenv or `cargo install --path .` in a dbt-envlint checkout and reload the " +
      "window, or set `dbtEnvlint.path` to the binary.",
  );
});
