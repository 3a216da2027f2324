/**
 * The language server's entry point (`node dist/server.js --stdio`, or IPC under VS Code).
 * stdout belongs to the protocol: log through the connection only.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
