/**
 * Language-server latencies, measured on the built `dist/server.js` over stdio as an editor drives it:
 * keystroke (didChange) to published diagnostics for a 300-line unit and a 10,000-line file, completion
 * latency, and the server's memory after opening 500 corpus units. Debounce is set to 0 so the numbers
 * are the server's own time.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { corpusFiles, ROOT } from '../test/helpers';

interface Published {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
  return `median ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms (n=${s.length})`;
}

async function main(): Promise<void> {
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiters = new Map<string, (p: Published) => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    const key = `${p.uri}@${p.version}`;
    waiters.get(key)?.(p);
    waiters.delete(key);
  });
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { settings: { debounceMs: 0 } } });
  await conn.sendNotification('initialized', {});
  const published = (uri: string, version: number): Promise<Published> => new Promise((resolve) => waiters.set(`${uri}@${version}`, resolve));

  const entries = corpusFiles().filter((f) => f.endsWith('.service')).flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => /^(Environment|ExecStartPre|Description|After|Documentation)=/.test(l)));
  const unitOf = (lines: number): string => {
    const body = ['[Unit]', 'Description=bench', '', '[Service]', 'ExecStart=/usr/bin/daemon --foreground', 'User=daemon'];
    for (let i = 0; body.length < lines; i++) body.push(i % 8 === 0 ? '# a comment line' : entries[i % entries.length]!.replace(/^(Description|After|Documentation)=/, 'Environment=X='));
    return body.join('\n') + '\n';
  };
  const lines: string[] = [];
  for (const [size, rounds] of [[300, 200], [10_000, 20]] as const) {
    const uri = `file:///tmp/bench-${size}.service`;
    const text = unitOf(size);
    let version = 1;
    let p = published(uri, version);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemd-unit', version, text } });
    await p;
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      version++;
      p = published(uri, version);
      const t0 = performance.now();
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: 6, character: 1 }, end: { line: 6, character: 1 } }, text: i % 2 ? 'x' : '' }],
      });
      await p;
      times.push(performance.now() - t0);
    }
    lines.push(`keystroke → diagnostics, ${size.toLocaleString('en')}-line unit: ${stats(times)}`);
    if (size === 300) {
      const ct: number[] = [];
      for (let i = 0; i < 100; i++) {
        const t0 = performance.now();
        await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 0 } });
        ct.push(performance.now() - t0);
      }
      lines.push(`completion of directive names in [Service]: ${stats(ct)}`);
      const vt: number[] = [];
      for (let i = 0; i < 100; i++) {
        const t0 = performance.now();
        await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 'User='.length } });
        vt.push(performance.now() - t0);
      }
      lines.push(`completion of a value (User=): ${stats(vt)}`);
    }
  }

  const units = corpusFiles().filter((f) => f.endsWith('.service')).slice(0, 500);
  const t0 = performance.now();
  await Promise.all(
    units.map((f, i) => {
      const uri = `file://${f}`;
      const p = published(uri, 1);
      void conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemd-unit', version: 1, text: readFileSync(f, 'utf8') } });
      return p.then(() => i);
    }),
  );
  const openMs = performance.now() - t0;
  const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  lines.push(`500 corpus units opened and analyzed in ${(openMs / 1000).toFixed(2)} s; server memory (RSS) ${(rssKb / 1024).toFixed(1)} MB`);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  proc.kill();
  process.stdout.write(lines.join('\n') + '\n');
}

void main();
