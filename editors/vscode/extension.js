// dbt-envlint for VS Code: finds the dbt-envlint binary (binary.js) and starts
// `dbt-envlint server` over stdio for the files it lints; restarts it when
// `dbtEnvlint.path` changes.
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");
const { findBinary } = require("./binary");

let client;

/** Starts the server, or shows one error saying why it cannot. */
async function start() {
  const configured = vscode.workspace.getConfiguration("dbtEnvlint").get("path", "");
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const found = findBinary({ configured, folders });
  if (found.error) {
    // Not awaited: activation does not wait for the user to dismiss the message.
    vscode.window.showErrorMessage(found.error, "Open Settings").then((choice) => {
      if (choice) vscode.commands.executeCommand("workbench.action.openSettings", "dbtEnvlint.path");
    });
    return;
  }
  // No `transport`: stdio all the same, without the `--stdio` argument that
  // TransportKind.stdio appends and `dbt-envlint server` refuses.
  const server = { command: found.command, args: ["server"] };
  client = new LanguageClient(
    "dbtEnvlint",
    "dbt-envlint",
    { run: server, debug: server },
    {
      // profiles.yml, dbt_project.yml, properties, workflows, envlint.yml; model and macro
      // SQL (plain or as dbt extensions name it); committed .env files.
      documentSelector: [
        { scheme: "file", language: "yaml" },
        { scheme: "file", language: "sql" },
        { scheme: "file", language: "jinja-sql" },
        { scheme: "file", pattern: "**/.env*" },
      ],
    },
  );
  await client.start();
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("dbtEnvlint.path")) {
        await stop();
        await start();
      }
    }),
  );
  return start();
}

module.exports = { activate, deactivate: stop };
