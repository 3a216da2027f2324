/** The boot tier's data files are well formed (this part needs no root and never boots). */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type BootCase, type CasesFile, type Service, caseSetup, dropinText, healthy, loadCases, loadGuests, loadServices, masksFor, missingEvidence, serviceFiles, serviceOn, servicesOn, treePackages, validateCases, validateGuests, validateServices } from './data';
import type { BootResult } from './runner';
import { unitRoot } from './unit-root';

const guests = loadGuests();
const services = loadServices();
const cases = loadCases();

test('guests.json: every guest has an id, a Debian suite and a systemd version; the default is one of them', () => {
  assert.deepEqual(validateGuests(guests), []);
});

test('guests.json validation rejects a duplicate id, a bad suite and an unknown default', () => {
  const copy = JSON.parse(JSON.stringify(guests)) as typeof guests;
  copy.guests.push({ ...copy.guests[0], suite: 'Trixie 13' });
  copy.default = 'debian-99';
  const problems = validateGuests(copy);
  for (const re of [/duplicate id/, /suite must be a Debian suite name/, /default: must be the id of a guest/]) assert.ok(problems.some((p) => re.test(p)), problems.join('\n'));
});

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
  ['a broken case without its journal line or check output', (c) => { delete c.journal; delete c.checkOutput; }, /needs the journal line \(journal\) or the check's output \(checkOutput\)/],
  ['an empty check output', (c) => (c.checkOutput = ''), /checkOutput must be a non-empty substring/],
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

test('services.json validation rejects an override for an unknown guest, of a field that cannot differ, or that breaks the service', () => {
  const copy = JSON.parse(JSON.stringify(services)) as typeof services;
  copy.services[0].onGuest = { 'debian-99': { unit: 'x.service' } };
  (copy.services[1] as { onGuest?: unknown }).onGuest = { [guests.default]: { name: 'other', units: ['other.service'] } };
  const problems = validateServices(copy, guests);
  assert.ok(problems.some((p) => /unknown guest debian-99/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /onGuest\.[\w-]+\.name cannot differ per guest/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /on [\w-]+: units must include the unit under test/.test(p)), problems.join('\n'));
});

test('a service on a guest takes that guest\'s overrides and keeps the rest', () => {
  const s = { ...services.services[0], onGuest: { 'debian-13': { unit: 'other@1.service', units: ['other@1.service'] } } };
  assert.equal(serviceOn(s, 'debian-13').unit, 'other@1.service');
  assert.equal(serviceOn(s, 'debian-13').check, s.check);
  assert.equal(serviceOn(s, guests.default).unit, services.services[0].unit);
  assert.equal('onGuest' in serviceOn(s, 'debian-13'), false);
});

test('every guest with cases has a baseline of each of its services; a case names a known guest; a fix stays on its guest', () => {
  const copy = JSON.parse(JSON.stringify(cases)) as CasesFile;
  const broken = copy.cases.find((c) => c.expect === 'broken' && !c.guest)!;
  copy.cases.push({ ...broken, id: 'on-99', guest: 'debian-99' });
  const other = guests.guests.find((g) => g.id !== guests.default)!;
  copy.cases.push({ ...broken, id: 'lonely', guest: other.id, service: 'no-baseline-here' });
  const fix = copy.cases.find((c) => c.fixes && !c.guest)!;
  copy.cases.push({ ...fix, id: 'cross-guest-fix', guest: other.id });
  const problems = validateCases(copy, services, guests);
  assert.ok(problems.some((p) => /\(on-99\): guest must be one of guests.json/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /cross-guest-fix: fixes a case of another guest/.test(p)), problems.join('\n'));
  const noBaseline = JSON.parse(JSON.stringify(cases)) as CasesFile;
  noBaseline.cases.push({ ...broken, id: 'only-case-on-other', guest: other.id });
  noBaseline.cases = noBaseline.cases.filter((c) => !(c.guest === other.id && c.service === broken.service && c.dropin === null));
  assert.ok(validateCases(noBaseline, services, guests).some((p) => new RegExp(`${broken.service}: has no baseline case \\(dropin null\\) on ${other.id}`).test(p)));
});

test('a case boots its own guest, with the services as they are there', () => {
  for (const c of cases.cases) {
    const { guest, service, mask } = caseSetup(c, services, cases.blocks, guests);
    assert.equal(guest.id, c.guest ?? guests.default);
    assert.equal(service.unit, serviceOn(services.services.find((s) => s.name === c.service)!, guest.id).unit);
    assert.ok(!mask.includes(service.unit));
  }
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

test('each guest\'s tree holds the base packages and every service\'s packages there, sorted, once each', () => {
  for (const g of guests.guests) {
    const pkgs = treePackages(services, g.id);
    assert.deepEqual(pkgs, [...new Set(pkgs)].sort());
    for (const p of [...services.basePackages, ...servicesOn(services, g.id).flatMap((s) => s.packages)]) assert.ok(pkgs.includes(p), p);
  }
});

/** A probe's result: the service answered its check and its unit is in the given state. */
function probed(activeState: string, result: string, execMainCode: number, execMainStatus: number): BootResult {
  return {
    probed: true, activeState, subState: activeState === 'active' ? 'running' : 'dead', result, nRestarts: 0,
    execMainCode, execMainStatus, checkRc: 0, checkOutput: 'ok', checkTries: 1, exposure: 5, offlineExposure: 5,
    journal: '', logs: '', wallS: 3, nspawnStatus: 0, console: '', systemd: 252,
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

test('a broken case may rest on its check output instead of a journal line; a healthy case records no evidence', () => {
  const copy = JSON.parse(JSON.stringify(cases)) as CasesFile;
  const broken = copy.cases.find((c) => c.expect === 'broken')!;
  delete broken.journal;
  broken.checkOutput = "Couldn't connect to server";
  assert.deepEqual(validateCases(copy, services), []);
  const healthyCase = copy.cases.find((c) => c.expect === 'healthy')!;
  healthyCase.checkOutput = '200';
  assert.ok(validateCases(copy, services).some((p) => p.includes(`(${healthyCase.id}): journal and checkOutput are the evidence of a broken case`)));
});

test('a boot shows a broken case\'s evidence only when its journal (or logs) and its check output hold what was recorded', () => {
  const r = { ...probed('active', 'success', 0, 0), journal: 'Started x.', logs: 'setgid(33) failed', checkOutput: "curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server" };
  assert.deepEqual(missingEvidence({ journal: 'setgid(33) failed' }, r), []);
  assert.deepEqual(missingEvidence({ checkOutput: "Couldn't connect to server" }, r), []);
  assert.deepEqual(missingEvidence({}, r), []);
  assert.deepEqual(missingEvidence({ checkOutput: 'setgid(33) failed' }, r), ['the check\'s output lacks "setgid(33) failed"']);
  assert.deepEqual(missingEvidence({ journal: "Couldn't connect", checkOutput: 'Connection refused' }, r), ['journal lacks "Couldn\'t connect"', 'the check\'s output lacks "Connection refused"']);
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

test('services.json validation rejects files that are not a plain guest path to a file under test/boot/', () => {
  const copy = JSON.parse(JSON.stringify(services)) as typeof services;
  copy.services[0].files = {
    'etc/relative.service': 'README.md',
    '/etc/../escape.service': 'README.md',
    '/etc/a:b.service': 'README.md',
    '/etc/up.service': '../../package.json',
    '/etc/absolute.service': '/etc/hostname',
    '/etc/missing.service': 'no-such-file.service',
    '/etc/folder.service': '.',
  };
  (copy.services[1] as { files?: unknown }).files = ['/etc/x.service'];
  const problems = validateServices(copy, guests);
  for (const re of [
    /files: etc\/relative.service must be a plain absolute path/,
    /files: \/etc\/..\/escape.service must be a plain absolute path/,
    /files: \/etc\/a:b.service must be a plain absolute path/,
    /the source of \/etc\/up.service must be a path under test\/boot\//,
    /the source of \/etc\/absolute.service must be a path under test\/boot\//,
    /the source of \/etc\/missing.service, test\/boot\/no-such-file.service, is not a file/,
    /the source of \/etc\/folder.service, test\/boot\/\., is not a file/,
    /files must be an object of guest path to source file/,
  ]) assert.ok(problems.some((p) => re.test(p)), `${re}:\n${problems.join('\n')}`);
  copy.services = [{ ...services.services[0], files: { '/etc/systemd/system/x.service': 'README.md' } }];
  assert.deepEqual(validateServices(copy, guests), []);
});

test('a service\'s files are bound from test/boot/ and placed in the root our CLI scores, beside the tree\'s units and the drop-in', () => {
  const s: Service = { name: 'app', packages: ['p'], unit: 'app.service', units: ['app.service'], check: 'true', expect: 'ok', files: { '/etc/systemd/system/app.service': 'README.md', '/opt/app/run.js': 'data.ts' } };
  const files = serviceFiles(s);
  assert.deepEqual(files, [
    { guest: '/etc/systemd/system/app.service', host: join(__dirname, 'README.md') },
    { guest: '/opt/app/run.js', host: join(__dirname, 'data.ts') },
  ]);
  assert.deepEqual(serviceFiles({ ...s, files: undefined }), []);
  const tree = mkdtempSync(join(tmpdir(), 'fake-tree-'));
  let root = '';
  try {
    for (const d of ['usr/lib/systemd/system', 'etc/systemd/system']) mkdirSync(join(tree, d), { recursive: true });
    writeFileSync(join(tree, 'usr/lib/systemd/system/stock.service'), '[Service]\nExecStart=/bin/true\n');
    root = unitRoot(tree, 'app.service', '[Service]\nNoNewPrivileges=yes\n', files);
    assert.equal(readFileSync(join(root, 'etc/systemd/system/app.service'), 'utf8'), readFileSync(join(__dirname, 'README.md'), 'utf8'));
    assert.equal(readFileSync(join(root, 'opt/app/run.js'), 'utf8'), readFileSync(join(__dirname, 'data.ts'), 'utf8'));
    assert.match(readFileSync(join(root, 'etc/systemd/system/app.service.d/50-hardening.conf'), 'utf8'), /NoNewPrivileges=yes/);
    assert.match(readFileSync(join(root, 'usr/lib/systemd/system/stock.service'), 'utf8'), /ExecStart/);
  } finally {
    rmSync(tree, { recursive: true, force: true });
    if (root) rmSync(root, { recursive: true, force: true });
  }
});

test('a case of a service with files boots with them', () => {
  const copy = JSON.parse(JSON.stringify(services)) as typeof services;
  copy.services[0].files = { '/etc/systemd/system/x.service': 'README.md' };
  const c = cases.cases.find((k) => k.service === copy.services[0].name && !k.guest)!;
  assert.deepEqual(caseSetup(c, copy, cases.blocks, guests).files, [{ guest: '/etc/systemd/system/x.service', host: join(__dirname, 'README.md') }]);
});
