/**
 * The built bundles run where generating code from strings is forbidden (`eval`, `new Function`): node's
 * --disallow-code-generation-from-strings stands for a host whose content security policy forbids
 * eval. The CLI scores a corpus unit with the same result as without the flag, and the language
 * server answers initialize and publishes diagnostics for an opened unit. Builds nothing: it runs
 * dist/cli.js and dist/server.js (SH_TEST_CLI / SH_TEST_SERVER point it at another build).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CORPUS } from '../helpers';
import { skipUnless } from '../requirements';
import { fileUri, LspServer } from '../lsp/client';
import { CLI } from './helpers';

const NO_EVAL = '--disallow-code-generation-from-strings';
/** A corpus unit with suggestions, so that scoring runs every part of the engine (derivations, variants). */
const UNIT = join(CORPUS, 'units', 'openssh-server', 'lib', 'systemd', 'system', 'ssh.service');
const skip = skipUnless('corpus');

const tmp = mkdtempSync(join(tmpdir(), 'sh-no-eval-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function score(nodeOptions: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...nodeOptions, CLI, 'score', '--format', 'json', UNIT], {
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 26,
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

test('CLI: score --format json gives the same result with code generation from strings disallowed', { skip }, () => {
  const plain = score([]);
  assert.equal(plain.status, 0, plain.stderr);
  const strict = score([NO_EVAL]);
  assert.equal(strict.status, 0, strict.stderr);
  const [a] = JSON.parse(plain.stdout) as Array<{ exposure: number | null; suggestions: unknown[] }>;
  const [b] = JSON.parse(strict.stdout) as Array<{ exposure: number | null; suggestions: unknown[] }>;
  assert.equal(typeof b!.exposure, 'number');
  assert.ok(b!.suggestions.length > 0, 'the unit has suggestions (scored variants)');
  assert.equal(b!.exposure, a!.exposure);
  assert.equal(strict.stdout, plain.stdout);
});

/** The server's diagnostics for the opened unit (code and range), with or without the flag. */
async function diagnosticsOf(nodeOptions: readonly string[]): Promise<string[]> {
  const server = LspServer.start(nodeOptions);
  try {
    // A server that dies on start-up never answers: say why.
    const init = await server
      .initialize(tmp)
      .catch((e: Error) =>
        assert.fail(`${e.message}; the server ${server.alive() ? 'is running' : 'exited'}: ${server.stderr}`),
      );
    assert.ok(init.capabilities.textDocumentSync !== undefined, 'initialize answered with capabilities');
    const uri = fileUri('/etc/systemd/system/ssh.service');
    await server.open(uri, readFileSync(UNIT, 'utf8'));
    const ds = await server.diagnostics(uri, () => true, 'diagnostics for the opened unit');
    assert.ok(server.alive(), server.stderr);
    assert.doesNotMatch(server.stderr, /EvalError/);
    return ds.map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}`);
  } finally {
    await server.stop();
  }
}

test(
  'language server: answers initialize and publishes diagnostics with code generation from strings disallowed',
  { skip },
  async () => {
    const strict = await diagnosticsOf([NO_EVAL]);
    assert.ok(strict.length > 0, 'ssh.service gets diagnostics (its sandbox advice)');
    assert.deepEqual(strict, await diagnosticsOf([]));
  },
);
