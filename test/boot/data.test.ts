/** The boot tier's data files are well formed (this part needs no root and never boots). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type BootCase, type CasesFile, type Service, dropinText, healthy, loadCases, loadServices, masksFor, treePackages, validateCases, validateServices } from './data';
import type { BootResult } from './runner';

const services = loadServices();
const cases = loadCases();

test('services.json: every service has a unit, its units, a check and a valid expected output', () => {
  assert.deepEqual(validateServices(services), []);
});

test('cases.json: every case names a service, a drop-in, an observed outcome and exposure; broken ones a journal line', () => {
  assert.deepEqual(validateCases(cases, services), []);
});

test('cases.json: every broken case has a fixed variant, is a step towards one, or its note says why not', () => {
  const fixed = new Set(cases.cases.map((c) => c.fixes).filter(Boolean));
  const fixes = new Set(cases.cases.filter((c) => c.fixes).map((c) => c.id));
  const stepTowardsFix = (note = ''): boolean => [...note.matchAll(/A step towards ([\w-]+)/g)].some((m) => fixes.has(m[1]));
  const unfixed = cases.cases.filter((c) => c.expect === 'broken' && !fixed.has(c.id) && !/no fixed variant/.test(c.note ?? '') && !stepTowardsFix(c.note));
  assert.deepEqual(unfixed.map((c) => c.id), []);
});

/** A copy of the cases file with one case changed, to show the validator rejects it. */
function withCase(change: (c: BootCase) => void): CasesFile {
  const copy = JSON.parse(JSON.stringify(cases)) as CasesFile;
  change(copy.cases.find((c) => c.expect === 'broken')!);
  return copy;
}

const defects: [string, (c: BootCase) => void, RegExp][] = [
  ['a broken case without its journal line', (c) => delete c.journal, /needs the journal line/],
  ['an unknown service', (c) => (c.service = 'no-such-service'), /service must be one of/],
  ['an unknown block', (c) => (c.dropin = ['@no-such-block']), /unknown block @no-such-block/],
  ['a line that is not a setting', (c) => (c.dropin = ['[Service]']), /not a Key=value setting/],
  ['an exposure out of range', (c) => (c.exposure = 12), /exposure must be a number/],
  ['an exposure finer than tenths', (c) => (c.offlineExposure = 2.25), /offlineExposure must be a number/],
  ['a broken baseline', (c) => (c.dropin = null), /baseline \(no drop-in\) must be healthy/],
  ['an unknown expectation', (c) => ((c as { expect: string }).expect = 'fine'), /expect must be healthy or broken/],
  ['no ci flag', (c) => delete (c as Partial<BootCase>).ci, /ci must be true or false/],
];
for (const [what, change, message] of defects) {
  test(`cases.json validation rejects ${what}`, () => {
    const problems = validateCases(withCase(change), services);
    assert.ok(problems.some((p) => message.test(p)), problems.join('\n'));
  });
}

test('cases.json validation rejects a duplicate id, and a "fix" of a healthy case', () => {
  const copy = JSON.parse(JSON.stringify(cases)) as CasesFile;
  const healthyCase = copy.cases.find((c) => c.expect === 'healthy' && c.dropin === null)!;
  copy.cases.push({ ...healthyCase });
  copy.cases.push({ ...healthyCase, id: 'new-fix', fixes: healthyCase.id });
  const problems = validateCases(copy, services);
  assert.ok(problems.some((p) => /duplicate id/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /new-fix: a fix must be healthy and fix a broken case/.test(p)), problems.join('\n'));
});

test('services.json validation rejects a bad regular expression and a unit missing from units', () => {
  const copy = JSON.parse(JSON.stringify(services)) as typeof services;
  copy.services[0].expect = '(';
  copy.services[1].units = ['other.service'];
  const problems = validateServices(copy);
  assert.ok(problems.some((p) => /expect is not a regular expression/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /units must include the unit under test/.test(p)), problems.join('\n'));
});

test('a case drop-in expands its blocks under one [Service] header; the baseline has none', () => {
  const c: BootCase = { id: 'x', service: 'nginx', dropin: ['@generic', 'ReadWritePaths=/run'], expect: 'healthy', exposure: 1, offlineExposure: 1, ci: true };
  const text = dropinText(c, { generic: ['NoNewPrivileges=yes', 'PrivateTmp=yes'] })!;
  assert.equal(text, '# boot test case x\n[Service]\nNoNewPrivileges=yes\nPrivateTmp=yes\nReadWritePaths=/run\n');
  assert.equal(dropinText({ ...c, dropin: null }, {}), null);
});

test('a boot masks every other service, never the one under test', () => {
  const pg = services.services.find((s) => s.name === 'postgresql')!;
  const masks = masksFor(pg, services.services);
  assert.ok(!masks.includes('postgresql.service') && !masks.includes(pg.unit));
  for (const s of services.services) if (s !== pg) for (const u of s.units) assert.ok(masks.includes(u), u);
});

test('the tree holds the base packages and every service\'s packages, sorted, once each', () => {
  const pkgs = treePackages(services);
  assert.deepEqual(pkgs, [...new Set(pkgs)].sort());
  for (const p of [...services.basePackages, ...services.services.flatMap((s) => s.packages)]) assert.ok(pkgs.includes(p), p);
});

/** A probe's result: the service answered its check and its unit is in the given state. */
function probed(activeState: string, result: string, execMainCode: number, execMainStatus: number): BootResult {
  return {
    probed: true, activeState, subState: activeState === 'active' ? 'running' : 'dead', result, nRestarts: 0,
    execMainCode, execMainStatus, checkRc: 0, checkOutput: 'ok', checkTries: 1, exposure: 5, offlineExposure: 5,
    journal: '', logs: '', wallS: 3, nspawnStatus: 0, console: '',
  };
}

test('a oneshot job is healthy once it has run to its end with status 0; a long-running service only while active', () => {
  const daemon: Service = { name: 'd', packages: ['d'], unit: 'd.service', units: ['d.service'], check: 'true', expect: '^ok$' };
  const job: Service = { ...daemon, oneshot: true };
  const ranOk = probed('inactive', 'success', 1, 0);
  assert.equal(healthy(ranOk, job), true);
  assert.equal(healthy(ranOk, daemon), false, 'a daemon that is no longer running is not healthy');
  assert.equal(healthy(probed('active', 'success', 0, 0), daemon), true);
  assert.equal(healthy(probed('failed', 'exit-code', 1, 1), job), false, 'a job that failed');
  assert.equal(healthy(probed('inactive', 'success', 0, 0), job), false, 'a job that never ran (a condition was not met)');
  assert.equal(healthy(probed('failed', 'signal', 2, 31), job), false, 'a job killed by its system-call filter');
});

test('services.json validation rejects a oneshot flag that is not a boolean', () => {
  const copy = JSON.parse(JSON.stringify(services)) as typeof services;
  (copy.services[0] as { oneshot?: unknown }).oneshot = 'yes';
  assert.ok(validateServices(copy).some((p) => /oneshot must be true or false/.test(p)));
});

test('a "profile-ID" block is exactly the lines of server/data/service-profiles/ID.json, so the boot proves the published profile', () => {
  const profileBlocks = Object.keys(cases.blocks).filter((b) => b.startsWith('profile-'));
  assert.ok(profileBlocks.length > 0);
  for (const b of profileBlocks) {
    const file = join(__dirname, '..', '..', 'server', 'data', 'service-profiles', `${b.slice('profile-'.length)}.json`);
    const profile = JSON.parse(readFileSync(file, 'utf8')) as { groups: { lines: string[] }[] };
    assert.deepEqual(cases.blocks[b], profile.groups.flatMap((g) => g.lines), b);
  }
});
