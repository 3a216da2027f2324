/**
 * The protocol's life cycle, which vscode-languageserver leaves to the server: before `initialize`
 * a request gets error -32002 (ServerNotInitialized) and a notification other than `exit` is
 * dropped; after `shutdown` a request gets InvalidRequest (-32600). (`exit` itself is the library's:
 * it exits 0 after `shutdown`, 1 without.)
 *
 * The gate is a vscode-jsonrpc message strategy: it sees every message before dispatch. A request it
 * refuses is passed on renamed to one of two internal methods whose handlers answer with the error,
 * so the response goes out through the connection like any other.
 */
import {
  ErrorCodes,
  ResponseError,
  type Connection,
  type Message,
  type MessageStrategy,
} from 'vscode-languageserver/node';

const NOT_INITIALIZED = '$/systemdHardening/notInitialized';
const AFTER_SHUTDOWN = '$/systemdHardening/afterShutdown';

interface RawMessage {
  jsonrpc: string;
  id?: number | string | null;
  method?: string;
  params?: unknown;
}

export type TraceLevel = 'off' | 'messages' | 'verbose';

function traceLevel(x: unknown): TraceLevel {
  return x === 'messages' || x === 'verbose' ? x : 'off';
}

export class LifecycleGate implements MessageStrategy {
  private state: 'new' | 'running' | 'shut-down' = 'new';
  /**
   * The client's trace setting (`initialize`'s `trace`, then `$/setTrace`), seen here as well as by the
   * library's tracer (which does not expose it), so the server builds trace messages only when asked.
   */
  trace: TraceLevel = 'off';

  get shutdownReceived(): boolean {
    return this.state === 'shut-down';
  }

  handleMessage(message: Message, next: (message: Message) => void): void {
    const m = message as RawMessage;
    if (typeof m.method !== 'string') return next(message); // a response to one of our requests
    const isRequest = m.id !== undefined;
    if (this.state === 'new') {
      if (m.method === 'initialize' && isRequest) {
        this.state = 'running';
        this.trace = traceLevel((m.params as { trace?: unknown } | null)?.trace);
      } else if (isRequest) return next({ ...m, method: NOT_INITIALIZED, params: { method: m.method } } as Message);
      else if (m.method !== 'exit') return; // dropped, as the protocol prescribes
    } else if (this.state === 'shut-down' && isRequest) {
      return next({ ...m, method: AFTER_SHUTDOWN, params: { method: m.method } } as Message);
    } else if (m.method === 'shutdown' && isRequest) {
      this.state = 'shut-down';
    } else if (m.method === '$/setTrace') {
      this.trace = traceLevel((m.params as { value?: unknown } | null)?.value);
    }
    next(message);
  }

  /** Registers the handlers that answer refused requests. */
  install(connection: Connection): void {
    connection.onRequest(
      NOT_INITIALIZED,
      (p: { method: string }) =>
        new ResponseError(
          ErrorCodes.ServerNotInitialized,
          `the server is not initialized: ${p.method} before initialize`,
        ),
    );
    connection.onRequest(
      AFTER_SHUTDOWN,
      (p: { method: string }) =>
        new ResponseError(ErrorCodes.InvalidRequest, `the server is shutting down: ${p.method} after shutdown`),
    );
  }
}
