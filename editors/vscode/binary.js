// Finds the dbt-envlint binary the extension starts: `dbtEnvlint.path` when set, otherwise
// `dbt-envlint` on PATH, otherwise the workspace's `.venv`. Plain Node (no `vscode`), so
// `node --test` checks it (test/binary.test.js).
"use strict";
const fs = require("fs");
const os = require("os");
const nodePath = require("path");

const NAME = "dbt-envlint";
const INSTALL =
  "Install it with `pip install git+https://github.com/dbt-envlint/dbt-envlint` in the " +
  "project's virtualenv or " +
  "`cargo install --path .` in a dbt-envlint checkout and reload the window, " +
  "or set `dbtEnvlint.path` to the binary.";

/** Whether `file` is a regular file this process may run. */
function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The binary to start, or the error to show.
 * @param {object} options
 * @param {string} [options.configured] the `dbtEnvlint.path` setting ("" when unset)
 * @param {string[]} [options.folders] the workspace folders' paths, the first one first
 * @param {Record<string, string | undefined>} [options.env] the environment (PATH)
 * @param {string} [options.platform] `process.platform`
 * @param {string} [options.home] the user's home folder
 * @param {(file: string) => boolean} [options.executable] whether a file can be run
 * @returns {{ command: string } | { error: string }}
 */
function findBinary({
  configured = "",
  folders = [],
  env = process.env,
  platform = process.platform,
  home = os.homedir(),
  executable = isExecutable,
} = {}) {
  const windows = platform === "win32";
  const path = windows ? nodePath.win32 : nodePath.posix;
  // Windows starts only `.exe` files without a shell.
  const exe = (file) => (windows && !/\.exe$/i.test(file) ? `${file}.exe` : file);
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  const onPath = (name) =>
    dirs.map((dir) => path.join(dir, exe(name))).find((file) => executable(file));

  const setting = configured.trim();
  if (setting) {
    const expanded = expand(setting, folders[0], home, path);
    const bare = !expanded.includes("/") && !(windows && expanded.includes("\\"));
    const file = bare ? undefined : exe(path.resolve(folders[0] ?? home, expanded));
    const found = bare ? onPath(expanded) : executable(file) && file;
    if (found) return { command: found };
    const looked = bare ? `\`${expanded}\` on PATH` : `\`${file}\``;
    return {
      error: `dbt-envlint: \`dbtEnvlint.path\` is \`${setting}\`, but ${looked} is not an executable file. ${INSTALL}`,
    };
  }

  const venvs = folders.map((folder) =>
    path.join(folder, ".venv", windows ? "Scripts" : "bin", exe(NAME)),
  );
  const found = onPath(NAME) ?? venvs.find((file) => executable(file));
  if (found) return { command: found };
  const where = venvs.length ? venvs.map((file) => `\`${file}\``).join(", ") : "no workspace folder";
  return {
    error: `dbt-envlint: the \`${NAME}\` binary was not found on PATH nor in the workspace's .venv (${where}). ${INSTALL}`,
  };
}

/** `~`, `${userHome}` and `${workspaceFolder}` expanded as VS Code settings do. */
function expand(setting, folder, home, path) {
  const tilde = setting === "~" || setting.startsWith("~/") || setting.startsWith(`~${path.sep}`);
  const expanded = tilde ? home + setting.slice(1) : setting;
  return expanded
    .replaceAll("${userHome}", home)
    .replaceAll("${workspaceFolder}", folder ?? "${workspaceFolder}");
}

module.exports = { findBinary };
