/**
 * The language server's entry point (`node dist/server.js --stdio`, or `--node-ipc` under VS Code).
 * stdout belongs to the protocol: log through the connection, or to stderr when there is none.
 */
import { startServer } from './server';
import { openConnection } from './transport';

const { connection, lifecycle } = openConnection(process.argv.slice(2));
startServer(connection, lifecycle);
