/**
 * The recommended drop-ins, proven by booting: for every profile whose boot.service is a service of
 * services.json, `node dist/cli.js harden --format json --root TREE UNIT` on the guest tree must pick
 * that profile, and the service booted with the drop-in it printed must be healthy, with the in-guest
 * `systemd-analyze security --offline=yes` equal to exposure_after and the running exposure equal to the
 * profile's `measured` row for this guest (recorded from real boots by harden-observe.ts --record).
 *
 * Needs root, systemd-nspawn and debootstrap (see README.md); otherwise skipped with the reason.
 * BOOT_PROFILES=id,id,... boots only those profiles.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { before, test } from 'node:test';
import { bootUnavailable, buildTree } from './runner';
import { healthy, loadGuests, loadServices, summary, treePackages } from './data';

// The profiles' measured rows are Debian 12's (debian-13 rows: see test/boot/README.md).
const debian12 = loadGuests().guests.find((g) => g.id === 'debian-12')!;
import { bootableProfiles, bootWith, CLI, GUEST, hardenOnTree } from './harden-run';

const services = loadServices();
const unavailable = bootUnavailable();
const only = process.env.BOOT_PROFILES ? new Set(process.env.BOOT_PROFILES.split(',')) : null;
let tree = '';

if (unavailable) {
  test('boot tier: recommended drop-ins', { skip: `skipped: ${unavailable}` }, () => {});
} else {
  before(() => {
    tree = buildTree(debian12.suite, treePackages(services, debian12.id));
  });

  for (const { profile, service } of bootableProfiles(services)) {
    const skip = only && !only.has(profile.id) ? 'not in BOOT_PROFILES' : false;
    test(`harden: ${service.unit} with the ${profile.id} drop-in is healthy and as exposed as predicted`, { skip, timeout: 300_000 }, async (t) => {
      assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
      const h = hardenOnTree(tree, service.unit);
      assert.equal(h.profile, profile.id, `harden picks the ${profile.id} profile for ${service.unit}`);
      assert.ok(h.dropin, 'something to add');
      const r = await bootWith(tree, service, services, h.dropin);
      t.diagnostic(`${h.exposure_before} -> ${h.exposure_after}: ${summary(r)}`);
      assert.ok(r.probed, `the guest probe did not finish (nspawn status ${r.nspawnStatus}); console:\n${r.console.slice(-3000)}`);
      assert.ok(healthy(r, service), `${summary(r)}\n${h.dropin}\njournal:\n${`${r.journal}\n${r.logs}`.slice(-3000)}`);
      assert.equal(r.offlineExposure, h.exposure_after, 'in-guest systemd-analyze security --offline=yes equals exposure_after');
      const row = profile.measured.find((m) => m.guest === GUEST.guest);
      assert.ok(row, `${profile.id} has no measured row for ${GUEST.guest}: record one with test/boot/harden-observe.ts --record (this boot: running ${r.exposure}, offline ${r.offlineExposure})`);
      assert.equal(row.systemd, GUEST.systemd);
      assert.equal(row.healthy, true);
      assert.equal(row.offline, h.exposure_after, 'the measured offline figure is the recommendation\'s');
      assert.equal(r.exposure, row.running, 'running exposure (systemd-analyze security in the guest) is the measured one');
    });
  }
}
