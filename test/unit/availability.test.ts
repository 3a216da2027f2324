/**
 * Directive and value availability per version (server/data/directives.json, read through
 * knowledge/directives.ts): what each version's reference build takes, and that nothing the product writes
 * itself (suggestions, the safe set, profiles, the recommended drop-in, completion) uses a line the target
 * does not take. The per-version diagnostics are fixtures: test/fixtures/diagnostics/availability-*.service.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { directive, isKnown, keyUnavailable, valueUnavailable, VERSIONS } from '../../server/src/knowledge/directives';
import { lineAvailable } from '../../server/src/knowledge/word-availability';
import { SERVICE_PROFILES, withDefaults } from '../../server/src/knowledge/service-profiles';
import { PROFILES, profileLines, snippetBody } from '../../server/src/features/profiles';
import { safePlan } from '../../server/src/exposure/plans';
import type { Suggestion } from '../../server/src/exposure/suggest';
import { hardenUnit, SUPPORTED_VERSIONS } from '../../server/src/service';
import { buildUnit } from '../../server/src/model/build';
import { suggest } from '../../server/src/exposure';
import { availabilityNote } from '../../server/src/rules/directives';
import { complete, type CompletionEntry } from '../../server/src/features/completion';
import type { FeatureContext } from '../../server/src/features/cursor-context';

test('availability: 239 is RHEL 8.4 (v239-50) with its backports, which 240–241 lack', () => {
  // backported into v239-50 from 242/243 (directives-by-version.md §1)
  for (const key of ['RestrictSUIDSGID', 'ExecCondition', 'LogRateLimitIntervalSec', 'MemoryMin']) {
    assert.ok(isKnown('Service', key, 239), `${key} @ 239`);
  }
  assert.equal(isKnown('Service', 'RestrictSUIDSGID', 240), false);
  assert.equal(isKnown('Service', 'RestrictSUIDSGID', 241), false);
  assert.equal(isKnown('Service', 'RestrictSUIDSGID', 242), true);
  assert.deepEqual(keyUnavailable('Service', 'RestrictSUIDSGID', 240), { what: 'RestrictSUIDSGID=', since: 242 });
  assert.deepEqual(keyUnavailable('Service', 'ExecCondition', 241), { what: 'ExecCondition=', since: 243 });
  assert.equal(keyUnavailable('Service', 'RestrictSUIDSGID', 239), undefined);
  // the checks 239 does not have are keys it does not know either
  for (const key of ['ProtectHostname', 'ProtectKernelLogs', 'ProtectClock', 'ProtectProc', 'ProcSubset', 'PrivateIPC'])
    assert.equal(isKnown('Service', key, 239), false, key);
  assert.equal(
    availabilityNote(keyUnavailable('Service', 'PrivateIPC', 239), 239),
    ' PrivateIPC= needs systemd 248; the target is 239.',
  );
  // a key only some other section has is not "unavailable": it is misplaced or unknown
  assert.equal(keyUnavailable('Service', 'ListenStream', 252), undefined);
  assert.deepEqual(keyUnavailable('Unit', 'ConditionNull', 252), { what: 'ConditionNull=', until: 246 });
});

test('availability: words by version, whole values and prefix forms', () => {
  assert.deepEqual(valueUnavailable('PrivateTmp', 'disconnected', 256), {
    what: 'PrivateTmp=disconnected',
    since: 257,
  });
  assert.equal(valueUnavailable('PrivateTmp', 'disconnected', 257), undefined);
  assert.equal(valueUnavailable('PrivateTmp', 'yes', 239), undefined);
  assert.deepEqual(valueUnavailable('StandardOutput', 'truncate:/var/log/x', 247), {
    what: 'StandardOutput=truncate:',
    since: 248,
  });
  assert.equal(valueUnavailable('StandardOutput', 'append:/var/log/x', 239), undefined, 'append: is in v239-50');
  assert.deepEqual(valueUnavailable('NUMAPolicy', 'preferred-many', 257), {
    what: 'NUMAPolicy=preferred-many',
    since: 262,
  });
  // not a word of the key: free-form values are not judged here
  assert.equal(valueUnavailable('ReadWritePaths', '/var/lib/x', 239), undefined);
  assert.equal(lineAvailable('Service', 'ProtectHostname=private', 257), false);
  assert.equal(lineAvailable('Service', 'ProtectHostname=private', 258), true);
  assert.equal(lineAvailable('Service', 'ProtectHostname=yes', 241), false);
  assert.equal(lineAvailable('Service', 'ProtectHostname=yes', 242), true);
  assert.equal(lineAvailable('Service', 'no equals sign', 262), false);
});

test('availability: PermissionsStartOnly= is deprecated from 240 on, for the + prefix', () => {
  const dep = directive('PermissionsStartOnly')?.deprecated;
  assert.equal(dep?.since, 240);
  assert.match(dep?.advice ?? '', /\+ prefix/);
  assert.ok(isKnown('Service', 'PermissionsStartOnly', 262), 'still parsed');
});

test('availability: every profile line is one its target takes, for every version 239–262', () => {
  for (const v of VERSIONS) {
    for (const p of PROFILES) {
      for (const l of profileLines(p, v)) assert.ok(lineAvailable('Service', l, v), `${p.id} @ ${v}: ${l}`);
      // the snippet holds the same lines, placeholders aside
      assert.equal(snippetBody(p, v).length, profileLines(p, v).length + 1, `${p.id} @ ${v}`);
    }
  }
  // at 239 the checks it lacks are not offered; at the newest version nothing is lost
  const at239 = new Set(PROFILES.flatMap((p) => profileLines(p, 239)).map((l) => l.slice(0, l.indexOf('='))));
  for (const key of ['ProtectHostname', 'ProtectClock', 'ProtectKernelLogs', 'ProtectProc', 'ProcSubset'])
    assert.ok(!at239.has(key), `${key} offered to 239`);
  assert.ok(at239.has('RestrictSUIDSGID'), 'RestrictSUIDSGID= is in v239-50');
  const at240 = new Set(PROFILES.flatMap((p) => profileLines(p, 240)).map((l) => l.slice(0, l.indexOf('='))));
  assert.ok(!at240.has('RestrictSUIDSGID'), 'RestrictSUIDSGID= offered to 240');
  const newest = VERSIONS[VERSIONS.length - 1]!;
  for (const p of PROFILES) assert.equal(profileLines(p, newest).length, p.settings.length, p.id);
  // the service profiles (harden starts from them and drops what the target lacks) hold no line the newest lacks
  for (const p of SERVICE_PROFILES)
    for (const g of p.groups) for (const l of g.lines) assert.ok(lineAvailable('Service', withDefaults(l), newest), l);
});

test("availability: the safe set's plan is known only where its words are", () => {
  const s = { lines: ['PrivateTmp=disconnected'], safe: true } as unknown as Suggestion;
  assert.equal(safePlan([s], 'Service', 252)?.known, false);
  assert.equal(safePlan([s], 'Service', 257)?.known, true);
  const h = { lines: ['ProtectHostname=yes'], safe: true } as unknown as Suggestion;
  assert.equal(safePlan([h], 'Service', 241)?.known, false);
  assert.equal(safePlan([h], 'Service', 242)?.known, true);
});

const UNIT = `[Unit]
Description=availability
[Service]
ExecStart=/usr/sbin/mydaemon --foreground
User=mydaemon
`;

test('availability: no suggestion, safe set or recommended drop-in uses a line its target does not take', () => {
  for (const v of SUPPORTED_VERSIONS) {
    const files = [{ path: '/etc/systemd/system/mydaemon.service', text: UNIT }];
    const model = buildUnit('mydaemon.service', files, { version: v });
    const s = suggest(model, { version: v });
    const lines = [...s.suggestions.flatMap((x) => x.lines), ...(s.safeSet?.lines ?? [])];
    assert.ok(lines.length > 0, `${v}: no suggestions`);
    for (const l of lines) assert.ok(lineAvailable('Service', l, v), `${v}: suggestion ${l}`);
    for (const profile of [undefined, 'generic-web-server', 'nginx', 'chrony']) {
      const r = hardenUnit({ name: 'mydaemon.service', files, version: v }, profile ? { profile } : {});
      const written = r.dropin.split('\n').filter((l) => /^[A-Z]\w*=/.test(l));
      assert.ok(written.length > 0, `${v} ${profile}: empty drop-in`);
      for (const l of written) assert.ok(lineAvailable('Service', l, v), `${v} ${profile}: drop-in ${l}`);
    }
  }
});

/** Completion at the end of `text` (a [Service] line being typed) for that version. */
function completeAt(text: string, version: number): CompletionEntry[] {
  const files = [{ path: '/etc/systemd/system/app.service', text }];
  const ctx: FeatureContext = {
    name: 'app.service',
    files,
    fileIndex: 0,
    offset: text.length,
    version: version as FeatureContext['version'],
  };
  return complete(ctx, { exposure: false });
}

test('availability: completion offers the keys, words and profile lines of the target only', () => {
  const svc = '[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n';
  for (const v of [239, 240, 247, 252, 257, 262]) {
    const keys = completeAt(svc + 'Pro', v).filter((e) => e.kind === 'directive');
    for (const e of keys) assert.ok(isKnown('Service', e.label, v), `${e.label} offered to ${v}`);
    assert.equal(
      keys.some((e) => e.label === 'ProtectHostname'),
      v >= 242,
      `ProtectHostname= @ ${v}`,
    );
    for (const e of completeAt(svc + 'PrivateTmp=', v))
      assert.equal(valueUnavailable('PrivateTmp', e.label, v), undefined, `PrivateTmp=${e.label} offered to ${v}`);
    for (const e of completeAt(svc + 'harden', v).filter((x) => x.kind === 'snippet'))
      for (const l of (e.documentation ?? '').split('\n').filter((x) => /^[A-Z]\w*=/.test(x)))
        assert.ok(lineAvailable('Service', l, v), `${e.label} @ ${v}: ${l}`);
  }
  assert.ok(completeAt('[Service]\nExecStart=/bin/true\nPrivateTmp=', 257).some((e) => e.label === 'disconnected'));
  assert.ok(
    completeAt('[Service]\nExecStart=/bin/true\nRestrictSUID', 239).some((e) => e.label === 'RestrictSUIDSGID'),
  );
  assert.ok(
    !completeAt('[Service]\nExecStart=/bin/true\nRestrictSUID', 240).some((e) => e.label === 'RestrictSUIDSGID'),
  );
});
