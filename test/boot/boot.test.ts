/**
 * The boot tier: proves each claim of cases.json by booting a real Debian 12 systemd (252) in
 * systemd-nspawn with the case's drop-in, and judging the service by its own health check,
 * Result= and NRestarts=. Also checks that our CLI's offline exposure of each case (the tree's unit
 * files plus the case's drop-in) equals what `systemd-analyze security --offline=yes` printed in the guest.
 *
 * Needs root, systemd-nspawn and debootstrap; otherwise every test is skipped with the reason.
 * The first run builds the tree (scripts/boot/build-tree.sh, a few minutes); later runs reuse it.
 * Cases with "ci": false boot only with BOOT_FULL=1; BOOT_CASES=id,id,... boots only those.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO, boot, bootUnavailable, buildTree } from './runner';
import { unitRoot } from './unit-root';
import { dropinText, healthy, loadCases, loadServices, masksFor, summary, treePackages } from './data';

const services = loadServices();
const { blocks, cases } = loadCases();
const unavailable = bootUnavailable();
const full = process.env.BOOT_FULL === '1';
const only = process.env.BOOT_CASES ? new Set(process.env.BOOT_CASES.split(',')) : null;
const CLI = join(REPO, 'dist', 'cli.js');

let tree = '';
let booted = 0;
let bootSeconds = 0;

if (unavailable) {
  test('boot tier', { skip: `skipped: ${unavailable}` }, () => {});
} else {
  before(() => {
    const t0 = performance.now();
    tree = buildTree(treePackages(services));
    console.log(`boot tree ${tree} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
  after(() => {
    console.log(`boot tier: ${booted} boots, ${bootSeconds.toFixed(1)} s of booting${full ? '' : ' (BOOT_FULL=1 for every case)'}`);
  });

  for (const c of cases) {
    const service = services.services.find((s) => s.name === c.service)!;
    const what = c.dropin === null ? 'stock unit' : c.fixes ? `fix of ${c.fixes}` : 'drop-in';
    const title = `${c.id}: ${service.unit} with ${what} is ${c.expect} (exposure ${c.exposure.toFixed(1)}, offline ${c.offlineExposure.toFixed(1)})`;
    const skip = only ? !only.has(c.id) && 'not in BOOT_CASES' : !c.ci && !full && 'boots only with BOOT_FULL=1';
    test(title, { skip, timeout: 300_000 }, async (t) => {
      const r = await boot({
        tree,
        unit: service.unit,
        check: service.check,
        dropin: dropinText(c, blocks),
        mask: masksFor(service, services.services),
        logs: service.logs,
      });
      booted++;
      bootSeconds += r.wallS;
      t.diagnostic(summary(r));
      assert.ok(r.probed, `the guest probe did not finish (nspawn status ${r.nspawnStatus}); console:\n${r.console.slice(-3000)}`);
      const observed = healthy(r, service) ? 'healthy' : 'broken';
      const evidence = `${r.journal}\n${r.logs}`;
      assert.equal(observed, c.expect, `${summary(r)}\njournal:\n${evidence.slice(-3000)}`);
      if (c.expect === 'broken') assert.ok(evidence.includes(c.journal!), `journal lacks ${JSON.stringify(c.journal)}:\n${evidence.slice(-3000)}`);
      assert.equal(r.exposure, c.exposure, 'running exposure (systemd-analyze security in the guest)');
      assert.equal(r.offlineExposure, c.offlineExposure, 'offline exposure (--offline=yes in the guest)');
    });
  }

  // Our CLI reads the same unit files (the tree's, plus the case's drop-in) and must give the
  // offline exposure the guest's systemd-analyze --offline=yes gave, which the boot above checks
  // against the recorded figure. No boot needed: this runs for every case.
  for (const c of cases) {
    const service = services.services.find((s) => s.name === c.service)!;
    test(`${c.id}: our CLI's offline exposure of ${service.unit} is the guest's ${c.offlineExposure.toFixed(1)}`, () => {
      assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
      const root = unitRoot(tree, service.unit, dropinText(c, blocks));
      try {
        const r = spawnSync(process.execPath, [CLI, 'score', '--format', 'json', '--root', root, service.unit], { encoding: 'utf8', timeout: 60_000 });
        const out = JSON.parse(r.stdout) as { unit: string; exposure: number | null; error?: string }[];
        assert.equal(out.length, 1, r.stdout + r.stderr);
        assert.equal(out[0].unit, service.unit);
        assert.equal(out[0].exposure, c.offlineExposure, out[0].error ?? 'our CLI differs from the guest\'s offline exposure');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
}
