/**
 * The connection to the client, with what vscode-languageserver leaves out:
 * - a stream that breaks the protocol's framing (`Content-Length: abc`, a negative or missing
 *   length, a body that is not JSON) cannot be resynchronised: the reader reports an error and then
 *   waits for ever. The server says why on stderr and exits with status 1 instead;
 * - the life cycle (lifecycle.ts): errors for requests before `initialize` and after `shutdown`.
 * For `--stdio` and `--node-ipc` the server builds the reader and writer itself, to see the reader's
 * errors; then it also ends, as the library would, when the input closes (0 after `shutdown`, else 1).
 * Other transports (`--socket`, `--pipe`) are left to the library, with the life-cycle gate.
 */
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { LifecycleGate } from './lifecycle';

/** A line on stderr (never stdout, which is the protocol's). */
export function logToStderr(message: string): void {
  process.stderr.write(`systemd-hardening language server: ${message}\n`);
}

function fatal(message: string): never {
  logToStderr(message);
  process.exit(1);
}

/**
 * How long the body of a message may stall before the stream counts as broken. A client writes a
 * message at once, so its body arrives within milliseconds; a body still incomplete after this long
 * means its Content-Length is larger than what was sent, and the next messages would be swallowed
 * into it.
 */
const PARTIAL_MESSAGE_TIMEOUT_MS = 10_000;

function endpoints(argv: readonly string[]): { reader: MessageReader; writer: MessageWriter } | null {
  if (argv.includes('--stdio')) {
    const reader = new StreamMessageReader(process.stdin);
    reader.partialMessageTimeout = PARTIAL_MESSAGE_TIMEOUT_MS;
    reader.onPartialMessage((info) =>
      fatal(
        `the client sent a message whose body stopped short of its Content-Length (nothing more for ${Math.round(info.waitingTime / 1000)} s); exiting, the stream is out of step`,
      ),
    );
    return { reader, writer: new StreamMessageWriter(process.stdout) };
  }
  if (argv.includes('--node-ipc'))
    return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process) };
  return null;
}

export function openConnection(argv: readonly string[]): { connection: Connection; lifecycle: LifecycleGate } {
  const gate = new LifecycleGate();
  const ends = endpoints(argv);
  let connection: Connection;
  if (ends) {
    ends.reader.onError((e) =>
      fatal(
        `the client sent a malformed message (${e.message.split('\n')[0]}); exiting, the rest of the stream cannot be read`,
      ),
    );
    ends.reader.onClose(() => process.exit(gate.shutdownReceived ? 0 : 1));
    ends.writer.onError(([e]) => fatal(`cannot write to the client (${e.message}); exiting`));
    connection = createConnection(ProposedFeatures.all, ends.reader, ends.writer, { messageStrategy: gate });
  } else {
    connection = createConnection(ProposedFeatures.all, { messageStrategy: gate });
  }
  gate.install(connection);
  return { connection, lifecycle: gate };
}
