// dbt-envlint for VS Code: starts `dbt-envlint server` over stdio for the files it lints.
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("dbtEnvlint").get("path", "dbt-envlint");
  const server = { command, args: ["server"], transport: TransportKind.stdio };
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
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
