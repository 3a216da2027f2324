/**
 * The boot tier: proves each claim of cases.json by booting a real systemd in systemd-nspawn (the
 * case's guest of guests.json: Debian 12 with systemd 252, Debian 13 with 257) with the case's
 * drop-in, and judging the service by its own health check, Result= and NRestarts=. Also checks
 * that our CLI's offline exposure of each case (the tree's unit files plus the case's drop-in, with
 * the guest's --systemd-version) equals what `systemd-analyze security --offline=yes` printed in the
 * guest, and, for every stock service unit of each guest's tree, equals what the guest's own
 * systemd-analyze prints offline.
 *
 * Needs root, systemd-nspawn and debootstrap; otherwise every test is skipped with the reason.
 * The first run builds each guest's tree (scripts/boot/build-tree.sh, about ten minutes each);
 * later runs reuse them. A tree is built only when a case of its guest is to boot. Cases with
 * "ci": false boot only with BOOT_FULL=1; BOOT_CASES=id,id,... boots only those; BOOT_GUESTS=id,...
 * only the cases of those guests.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO, boot, bootUnavailable, buildTreeAsync } from './runner';
import { stockUnits, guestOffline } from './stock-units';
import { unitRoot } from './unit-root';
import { type BootCase, caseSetup, guestOf, healthy, loadCases, loadGuests, loadServices, missingEvidence, summary, treePackages } from './data';

const guests = loadGuests();
const services = loadServices();
const { blocks, cases } = loadCases();
const unavailable = bootUnavailable();
const full = process.env.BOOT_FULL === '1';
const only = process.env.BOOT_CASES ? new Set(process.env.BOOT_CASES.split(',')) : null;
const onlyGuests = process.env.BOOT_GUESTS ? new Set(process.env.BOOT_GUESTS.split(',')) : null;
const CLI = join(REPO, 'dist', 'cli.js');

/** Why a case does not boot in this run, or false when it does. */
function skipOf(c: BootCase): string | false {
  if (onlyGuests && !onlyGuests.has(guestOf(c, guests))) return 'guest not in BOOT_GUESTS';
  if (only) return !only.has(c.id) && 'not in BOOT_CASES';
  return !c.ci && !full && 'boots only with BOOT_FULL=1';
}

/** The guests with a case that boots in this run: only their trees are built. */
const wanted = guests.guests.filter((g) => cases.some((c) => guestOf(c, guests) === g.id && !skipOf(c)));
const trees = new Map<string, string>();
let booted = 0;
let bootSeconds = 0;

/** Our CLI's offline exposure of a unit under a root folder, for the guest's systemd version. */
function cliExposure(root: string, unit: string, version: number): { exposure: number | null; error?: string; raw: string } {
  const r = spawnSync(process.execPath, [CLI, 'score', '--format', 'json', '--systemd-version', String(version), '--root', root, unit], { encoding: 'utf8', timeout: 60_000 });
  const out = JSON.parse(r.stdout) as { unit: string; exposure: number | null; error?: string }[];
  assert.equal(out.length, 1, r.stdout + r.stderr);
  assert.equal(out[0].unit, unit);
  return { exposure: out[0].exposure, error: out[0].error, raw: r.stdout };
}

if (unavailable) {
  test('boot tier', { skip: `skipped: ${unavailable}` }, () => {});
} else {
  before(async () => {
    // Built side by side: on a fresh runner each takes about ten minutes, mostly downloads and dpkg.
    await Promise.all(wanted.map(async (g) => {
      const t0 = performance.now();
      trees.set(g.id, await buildTreeAsync(g.suite, treePackages(services, g.id)));
      console.log(`boot tree of ${g.id} (${g.suite}) ${trees.get(g.id)} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }));
  });
  after(() => {
    console.log(`boot tier: ${booted} boots on ${wanted.map((g) => g.id).join(', ') || 'no guest'}, ${bootSeconds.toFixed(1)} s of booting${full ? '' : ' (BOOT_FULL=1 for every case)'}`);
  });

  for (const c of cases) {
    const { guest, service, dropin, mask, files } = caseSetup(c, services, blocks, guests);
    const what = c.dropin === null ? 'stock unit' : c.fixes ? `fix of ${c.fixes}` : 'drop-in';
    const title = `${c.id}: ${service.unit} on ${guest.id} with ${what} is ${c.expect} (exposure ${c.exposure.toFixed(1)}, offline ${c.offlineExposure.toFixed(1)})`;
    test(title, { skip: skipOf(c), timeout: 300_000 }, async (t) => {
      const r = await boot({ tree: trees.get(guest.id)!, unit: service.unit, check: service.check, dropin, mask, files, logs: service.logs, unifiedCgroup: guest.unifiedCgroup });
      booted++;
      bootSeconds += r.wallS;
      t.diagnostic(summary(r));
      assert.ok(r.probed, `the guest probe did not finish (nspawn status ${r.nspawnStatus}); console:\n${r.console.slice(-3000)}`);
      assert.equal(r.systemd, guest.systemd, `the guest's systemd is ${r.systemd}, guests.json says ${guest.systemd}`);
      const observed = healthy(r, service) ? 'healthy' : 'broken';
      const evidence = `${r.journal}\n${r.logs}`;
      assert.equal(observed, c.expect, `${summary(r)}\njournal:\n${evidence.slice(-3000)}`);
      const missing = missingEvidence(c, r);
      assert.deepEqual(missing, [], `${missing.join('; ')}\ncheck output:\n${r.checkOutput.slice(-1000)}\njournal:\n${evidence.slice(-3000)}`);
      assert.equal(r.exposure, c.exposure, 'running exposure (systemd-analyze security in the guest)');
      assert.equal(r.offlineExposure, c.offlineExposure, 'offline exposure (--offline=yes in the guest)');
    });
  }

  // Our CLI reads the same unit files (the tree's, the service's own files, plus the case's drop-in) and must give the
  // offline exposure the guest's systemd-analyze --offline=yes gave, which the boot above checks
  // against the recorded figure. No boot needed: this runs for every case of a guest whose tree is built.
  for (const c of cases) {
    const { guest, service, dropin, files } = caseSetup(c, services, blocks, guests);
    const skip = !wanted.includes(guest) && `no case of ${guest.id} boots in this run, so its tree is not built`;
    test(`${c.id}: our CLI's offline exposure of ${service.unit} (systemd ${guest.systemd}) is the guest's ${c.offlineExposure.toFixed(1)}`, { skip }, () => {
      assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
      const root = unitRoot(trees.get(guest.id)!, service.unit, dropin, files);
      try {
        const r = cliExposure(root, service.unit, guest.systemd);
        assert.equal(r.exposure, c.offlineExposure, r.error ?? 'our CLI differs from the guest\'s offline exposure');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }

  // Every stock service unit of each guest's tree, not only those of the cases: the guest's own
  // systemd-analyze --offline=yes (run in the tree, without booting it) against our CLI.
  for (const g of guests.guests) {
    const skip = !wanted.includes(g) && `no case of ${g.id} boots in this run, so its tree is not built`;
    test(`every stock service of the ${g.id} tree: our CLI's offline exposure (systemd ${g.systemd}) is the guest's systemd-analyze --offline=yes`, { skip, timeout: 600_000 }, async (t) => {
      assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
      const tree = trees.get(g.id)!;
      const units = stockUnits(tree);
      assert.ok(units.length >= 20, `only ${units.length} stock service units in ${tree}`);
      const theirs = await guestOffline(tree, units, g.unifiedCgroup ?? false);
      const root = unitRoot(tree, null, null);
      const differ: string[] = [];
      try {
        const r = spawnSync(process.execPath, [CLI, 'score', '--format', 'json', '--systemd-version', String(g.systemd), '--root', root, ...units], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
        const ours = new Map((JSON.parse(r.stdout) as { unit: string; exposure: number | null; error?: string }[]).map((o) => [o.unit, o]));
        for (const u of units) {
          const mine = ours.get(u);
          const guest = theirs.get(u) ?? null;
          if ((mine?.exposure ?? null) !== guest) differ.push(`${u}: ours ${mine?.exposure ?? mine?.error ?? 'missing'}, guest ${guest ?? 'no figure'}`);
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
      t.diagnostic(`${units.length} units compared, ${units.filter((u) => theirs.get(u) !== undefined).length} with a figure from the guest`);
      assert.deepEqual(differ, []);
    });
  }
}
