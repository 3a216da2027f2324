/**
 * Document handling: open documents are analyzed as the unit they belong to (a drop-in with its
 * base unit's name) and their diagnostics published with the document version.
 */
import { TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeUnit, DEFAULT_VERSION, LineIndex } from '../service';
import { toLspDiagnostic } from './convert';

/** The unit a document belongs to: its own file name, or the folder's for a drop-in. */
export function unitNameForUri(uri: string): string {
  const path = decodeURIComponent(uri.replace(/^[a-z]+:\/\//i, ''));
  const parts = path.split('/');
  const file = parts[parts.length - 1] ?? '';
  const folder = parts[parts.length - 2] ?? '';
  if (file.endsWith('.conf') && folder.endsWith('.d')) return folder.slice(0, -2);
  return file;
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);

  connection.onInitialize(() => ({
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
    serverInfo: { name: 'systemd-hardening' },
  }));

  const validate = (doc: TextDocument): void => {
    const text = doc.getText();
    const analysis = analyzeUnit({ name: unitNameForUri(doc.uri), files: [{ path: doc.uri, text }], version: DEFAULT_VERSION });
    const index = new LineIndex(text);
    const diagnostics = analysis.diagnostics.filter((d) => d.file === doc.uri).map((d) => toLspDiagnostic(d, index));
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  documents.onDidChangeContent((e) => validate(e.document));
  documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
  documents.listen(connection);
  connection.listen();
}
