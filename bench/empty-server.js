// The memory floor for bench/lsp.ts: a language server with vscode-languageserver that keeps the open
// documents (TextDocuments, incremental sync) and publishes no diagnostics, and does nothing else.
// Started as the real one is, over stdio, and sent the same 500 didOpen notifications.
const {
  createConnection,
  TextDocuments,
  ProposedFeatures,
  TextDocumentSyncKind,
} = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));
documents.onDidChangeContent((e) => {
  void connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics: [] });
});
documents.listen(connection);
connection.listen();
