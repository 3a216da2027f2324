/**
 * capabilities.json, address-families.json, namespaces.json and errno.json against the real systemd-analyze of
 * each version:
 *  - `systemd-analyze capability` must list exactly our capabilities (name and number) for that version;
 *  - one unit file with one assignment per name (RestrictAddressFamilies=, RestrictNamespaces=,
 *    SystemCallErrorNumber=, SystemCallFilter=~NAME:ERRNO) plus deliberately invalid ones is loaded with
 *    `systemd-analyze security --offline=yes`; systemd must warn about exactly the lines we expect it to refuse.
 *    Names that only a later version knows (since > version) are expected to be refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  ADDRESS_FAMILY_SPECIAL_VALUES,
  ERRNO_NOT_ACCEPTED,
  ERRNO_SPECIAL_VALUES,
  addressFamilies,
  capabilities,
  errnoNames,
  namespaceTypes,
  type TargetVersion,
} from '../../server/src/knowledge/vocabulary';
import { ORACLE_VERSIONS, oraclePath, runOracle } from '../oracle';
import { oracle, skipUnless } from '../requirements';

const scratch = mkdtempSync(join(tmpdir(), 'vocab-oracle-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Probe {
  line: string;
  /** Whether systemd of this version should accept it silently. */
  accept: boolean;
}

function probes(version: TargetVersion): Probe[] {
  const out: Probe[] = [];
  const add = (line: string, accept: boolean): void => {
    out.push({ line, accept });
  };

  // Address families: every name (all versions' names; later ones must be refused), case-insensitive matching,
  // the special value, and names the generator excludes.
  for (const f of addressFamilies()) add(`RestrictAddressFamilies=${f.name}`, f.since <= version);
  add('RestrictAddressFamilies=af_inet6', true);
  for (const s of ADDRESS_FAMILY_SPECIAL_VALUES) add(`RestrictAddressFamilies=${s.name}`, s.since <= version);
  for (const bad of ['AF_UNSPEC', 'AF_MAX', 'AF_NOT_A_FAMILY', 'INET']) add(`RestrictAddressFamilies=${bad}`, false);

  // Namespace types: exact names only.
  for (const t of namespaceTypes()) add(`RestrictNamespaces=${t.name}`, t.since <= version);
  add(`RestrictNamespaces=~${namespaceTypes()[0]!.name}`, true);
  for (const bad of ['NET', 'mount', 'network', 'all']) add(`RestrictNamespaces=${bad}`, false);

  // errno names as SystemCallErrorNumber= and as the errno of a deny-list entry.
  for (const e of errnoNames()) add(`SystemCallErrorNumber=${e.name}`, e.since <= version);
  add('SystemCallErrorNumber=eperm', true);
  add('SystemCallErrorNumber=4095', true);
  add('SystemCallErrorNumber=4096', false);
  add('SystemCallErrorNumber=0', false);
  add('SystemCallErrorNumber=ENOTANERRNO', false);
  for (const s of ERRNO_SPECIAL_VALUES) add(`SystemCallErrorNumber=${s.name}`, s.since <= version);
  for (const n of ERRNO_NOT_ACCEPTED) add(`SystemCallErrorNumber=${n.name}`, false);
  // The first SystemCallFilter= line decides the mode: "~" makes it a deny-list, where ":errno" is allowed.
  for (const e of errnoNames()) add(`SystemCallFilter=~uname:${e.name}`, e.since <= version);
  for (const s of ERRNO_SPECIAL_VALUES)
    if (s.acceptedBy.some((a) => a.startsWith('SystemCallFilter=')))
      add(`SystemCallFilter=~uname:${s.name}`, s.since <= version);
  for (const n of ERRNO_NOT_ACCEPTED) add(`SystemCallFilter=~uname:${n.name}`, false);
  add('SystemCallFilter=~uname:ENOTANERRNO', false);
  return out;
}

describe('vocabularies against the real systemd-analyze', () => {
  for (const version of ORACLE_VERSIONS) {
    const bin = oraclePath(version);
    const skip = skipUnless(oracle(version));

    test(`systemd ${version}: systemd-analyze capability lists our capabilities`, { skip }, () => {
      const r = runOracle(bin!, ['capability', '--no-pager']);
      assert.equal(r.status, 0, r.stderr);
      const real = r.stdout
        .split('\n')
        .slice(1)
        .filter((l) => l.trim())
        .map((l) => {
          const m = /^(\S+)\s+(\d+)\s*$/.exec(l);
          assert.ok(m, `odd line ${JSON.stringify(l)}`);
          return `${m[1]} ${m[2]}`;
        });
      const ours = capabilities(version).map((c) => `${c.name.toLowerCase()} ${c.number}`);
      assert.deepEqual(real, ours);
    });

    test(`systemd ${version}: accepts exactly the names we say it accepts`, { skip }, () => {
      const list = probes(version);
      const dir = mkdtempSync(join(scratch, `v${version}-`));
      const header = ['[Service]', 'ExecStart=/bin/true'];
      writeFileSync(join(dir, 'probe.service'), [...header, ...list.map((p) => p.line)].join('\n') + '\n');
      const r = runOracle(bin!, ['security', '--offline=yes', '--no-pager', './probe.service'], dir);
      // A unit with warnings still gets scored; only the warnings matter here.
      const refused = new Set<number>();
      for (const l of r.stderr.split('\n')) {
        const m = /probe\.service:(\d+): /.exec(l);
        if (m) refused.add(Number(m[1]) - header.length - 1);
      }
      const wrong: string[] = [];
      list.forEach((p, i) => {
        if (p.accept === refused.has(i))
          wrong.push(
            `${p.line}: systemd ${refused.has(i) ? 'refuses' : 'accepts'} it, the data says it ${p.accept ? 'accepts' : 'refuses'} it`,
          );
      });
      for (const i of refused)
        if (i < 0 || i >= list.length) wrong.push(`unexpected warning on line ${i + header.length + 1}`);
      assert.deepEqual(wrong, [], r.stderr.slice(0, 2000));
    });
  }
});
