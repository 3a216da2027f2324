/**
 * Language-server latencies, measured on the built `dist/server.js` over stdio as an editor drives it:
 * keystroke (didChange) to published diagnostics for a 300-line unit and a 10,000-line file, completion
 * latency, code actions per cursor move in a 32,000-line unit, and the server's memory after opening 500 corpus units, beside the floor of an empty server
 * (bench/empty-server.js) sent the same documents. Debounce is set to 0 so the numbers
 * are the server's own time. The server is started as the VS Code client starts it (protocol/launch.ts).
 *
 * Every keystroke changes the text (an 'x' typed, then deleted), so no sample is a cache hit; the first
 * ones warm the JIT up and are counted apart (a server's steady state is what an editor lives with: in
 * these runs the slow keystrokes of a fresh server stopped after about 100). `npm run bench` gives this
 * client, the measuring instrument, a young generation large enough that its own collections (it
 * parses every published message) do not land inside the samples. Memory is read from /proc once every one of the 500 units has
 * been published (analysed), in a server that did nothing else, and again in the server that ran the
 * latency rounds (its heap also went through the 10,000-line file).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { SERVER_ENV } from '../protocol/launch';
import { corpusFiles, ROOT } from '../test/helpers';
import { HOSTILE_CASES } from '../test/hostile';

interface Published {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

interface Server {
  proc: ChildProcess;
  conn: MessageConnection;
  published(uri: string, version: number): Promise<Published>;
  stop(): Promise<void>;
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
  return `median ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms (n=${s.length})`;
}

async function startServer(script = join(ROOT, 'dist', 'server.js'), capabilities: object = {}): Promise<Server> {
  const proc = spawn(process.execPath, [script, '--stdio'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...SERVER_ENV },
  });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const waiters = new Map<string, (p: Published) => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    const key = `${p.uri}@${p.version}`;
    waiters.get(key)?.(p);
    waiters.delete(key);
  });
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities,
    initializationOptions: { settings: { debounceMs: 0 } },
  });
  await conn.sendNotification('initialized', {});
  return {
    proc,
    conn,
    published: (uri, version) => new Promise((resolve) => waiters.set(`${uri}@${version}`, resolve)),
    async stop() {
      await conn.sendRequest('shutdown');
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      await conn.sendNotification('exit');
      // The server ends itself on 'exit'; killed only if it has not after 2 s.
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      conn.dispose();
      if (proc.exitCode === null && proc.signalCode === null) proc.kill();
    },
  };
}

function rssMb(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return (Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024).toFixed(1);
}

/** The RSS split into file-backed pages (the node executable and libraries) and anonymous ones (heaps, malloc). */
function rssSplit(pid: number): string {
  let rollup: string;
  try {
    rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return 'no /proc/PID/smaps_rollup';
  }
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
  const mb = (k: number): string => (k / 1024).toFixed(1);
  return `file-backed ${mb(kb('Rss') - kb('Anonymous'))} MB (node executable, libraries), anonymous ${mb(kb('Anonymous'))} MB (V8 heap, malloc)`;
}

/** Opens the first 500 corpus services at once and waits until every one is published. */
async function open500(s: Server): Promise<number> {
  const units = corpusFiles()
    .filter((f) => f.endsWith('.service'))
    .slice(0, 500);
  const t0 = performance.now();
  await Promise.all(
    units.map((f) => {
      const uri = `file://${f}`;
      const p = s.published(uri, 1);
      void s.conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'systemd-unit', version: 1, text: readFileSync(f, 'utf8') },
      });
      return p;
    }),
  );
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const s = await startServer();
  const entries = corpusFiles()
    .filter((f) => f.endsWith('.service'))
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => /^(Environment|ExecStartPre|Description|After|Documentation)=/.test(l)),
    );
  const unitOf = (n: number): string => {
    const body = [
      '[Unit]',
      'Description=bench',
      '',
      '[Service]',
      'ExecStart=/usr/bin/daemon --foreground',
      'User=daemon',
    ];
    for (let i = 0; body.length < n; i++)
      body.push(
        i % 8 === 0
          ? '# a comment line'
          : entries[i % entries.length]!.replace(/^(Description|After|Documentation)=/, 'Environment=X='),
      );
    return body.join('\n') + '\n';
  };
  for (const [size, warmup, rounds] of [
    [300, 200, 500],
    [10_000, 5, 50],
  ] as const) {
    const uri = `file:///tmp/bench-${size}.service`;
    let version = 1;
    let p = s.published(uri, version);
    await s.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'systemd-unit', version, text: unitOf(size) },
    });
    await p;
    const times: number[] = [];
    const first: number[] = [];
    for (let i = 0; i < warmup + rounds; i++) {
      version++;
      p = s.published(uri, version);
      // Type an 'x' into line 7, then delete it: every version differs from the one before.
      const typed = i % 2 === 0;
      const t0 = performance.now();
      await s.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [
          {
            range: { start: { line: 6, character: 1 }, end: { line: 6, character: typed ? 1 : 2 } },
            text: typed ? 'x' : '',
          },
        ],
      });
      await p;
      (i >= warmup ? times : first).push(performance.now() - t0);
    }
    lines.push(`keystroke → diagnostics, ${size.toLocaleString('en')}-line unit: ${stats(times)}`);
    if (size === 300)
      lines.push(
        `  (the ${warmup} keystrokes before, while the server's JIT warms up: ${stats(first)}, slowest ${Math.max(...first).toFixed(2)} ms)`,
      );
    if (size === 300) {
      for (const [what, character] of [
        ['directive names in [Service]', 0],
        ['a value (User=)', 'User='.length],
      ] as const) {
        const ct: number[] = [];
        for (let i = 0; i < 250; i++) {
          const t0 = performance.now();
          await s.conn.sendRequest('textDocument/completion', {
            textDocument: { uri },
            position: { line: 5, character },
          });
          if (i >= 50) ct.push(performance.now() - t0);
        }
        lines.push(`completion of ${what}: ${stats(ct)}`);
      }
    }
  }

  // Code actions on every cursor move, in a unit of 32,000 ReadWritePaths= lines, from a client that can
  // create files (so the action moving them all into a drop-in is converted too: 32,000 edits).
  {
    const edits = await startServer(join(ROOT, 'dist', 'server.js'), {
      workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
    });
    const uri = 'file:///tmp/bench-actions.service';
    const p = edits.published(uri, 1);
    await edits.conn.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri,
        languageId: 'systemd-unit',
        version: 1,
        text: HOSTILE_CASES.find((c) => c.name === 'read-write-paths')!.make(32_000),
      },
    });
    await p;
    const at: number[] = [];
    for (let i = 0; i < 21; i++) {
      const line = 100 + i * 1500;
      const t0 = performance.now();
      await edits.conn.sendRequest('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line, character: 0 }, end: { line, character: 0 } },
        context: { diagnostics: [] },
      });
      at.push(performance.now() - t0);
    }
    lines.push(
      `code actions on a 32,000-line unit (ReadWritePaths= lines), per cursor move: first ${at[0]!.toFixed(0)} ms, then ${stats(at.slice(1))}`,
    );
    await edits.stop();
  }

  const fresh = await startServer();
  await new Promise((r) => setTimeout(r, 200));
  const initRss = rssMb(fresh.proc.pid!);
  const openMs = await open500(fresh);
  lines.push(
    `500 corpus units opened and analyzed in ${(openMs / 1000).toFixed(2)} s; server memory (RSS) ${rssMb(fresh.proc.pid!)} MB (${initRss} MB after initialize)`,
  );
  lines.push(`  of which ${rssSplit(fresh.proc.pid!)}`);
  await fresh.stop();
  // The floor: a server that keeps the documents and analyses nothing, through the same 500 opens.
  const empty = await startServer(join(ROOT, 'bench', 'empty-server.js'));
  await open500(empty);
  lines.push(
    `  an empty vscode-languageserver server (keeps the documents, analyses nothing), same 500 opens: RSS ${rssMb(empty.proc.pid!)} MB, ${rssSplit(empty.proc.pid!)}`,
  );
  await empty.stop();
  await open500(s);
  lines.push(
    `the same in the server of the latency rounds (its heap also held the 10,000-line file): RSS ${rssMb(s.proc.pid!)} MB`,
  );
  await s.stop();
  process.stdout.write(lines.join('\n') + '\n');
}

void main();
