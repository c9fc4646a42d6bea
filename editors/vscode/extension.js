// The perfspec extension: starts `perfspec lsp` and hands it every .perf document.
// Highlighting and brackets are static (syntaxes/, language-configuration.json); everything
// else — diagnostics, quick fixes, completion, hover, outline, formatting — is the server's.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function start() {
  const config = vscode.workspace.getConfiguration('perfspec');
  const command = config.get('path') || 'perfspec';
  const lang = config.get('lang');
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'perfspec' },
      { scheme: 'untitled', language: 'perfspec' },
    ],
    initializationOptions: lang ? { lang } : {},
    synchronize: {
      // Sends {"perfspec": {...}} on every settings change: perfspec.lang switches the
      // language of the diagnostics at once.
      configurationSection: 'perfspec',
      // Files changed on disk (a checkout) update the rule across files (PS104).
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.perf'),
    },
  };
  client = new LanguageClient('perfspec', 'perfspec', serverOptions, clientOptions);
  return client.start().catch((e) => {
    vscode.window.showErrorMessage(
      `perfspec: cannot start \`${command} lsp\` (${e.message}). ` +
        'Install perfspec (cargo install --locked --path .) or set perfspec.path.'
    );
  });
}

function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('perfspec.path') && client) {
        await client.stop();
        await start();
      }
    })
  );
  return start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
