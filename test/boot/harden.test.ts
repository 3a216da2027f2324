/**
 * The recommended drop-ins, proven by booting: on each guest, for every profile whose boot.service is a
 * service of services.json, `node dist/cli.js harden --format json --systemd-version V --root TREE UNIT`
 * on the guest's tree must pick that profile, and the service booted with the drop-in it printed must
 * be healthy, with the in-guest `systemd-analyze security --offline=yes` equal to exposure_after and
 * the running exposure equal to the profile's `measured` row for that guest (recorded from real boots
 * by measure-profiles.ts --guest ID --record).
 *
 * Needs root, systemd-nspawn and debootstrap (see README.md); otherwise skipped with the reason.
 * BOOT_PROFILES=id,id,... boots only those profiles; BOOT_GUESTS=id,... only those guests.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { bootUnavailable, buildTreeAsync, type BootResult } from './runner';
import { healthy, loadGuests, loadServices, servicesOn, summary, treePackages, type Guest, type Service } from './data';
import { bootableProfiles, bootWith, CLI, hardenOnTree, type HardenJson } from './harden-run';

const guests = loadGuests();
const services = loadServices();
const unavailable = bootUnavailable();
const only = process.env.BOOT_PROFILES ? new Set(process.env.BOOT_PROFILES.split(',')) : null;
const onlyGuests = process.env.BOOT_GUESTS ? new Set(process.env.BOOT_GUESTS.split(',')) : null;
const trees = new Map<string, Promise<string>>();

/** The guest's tree, built (or taken from the cache) the first time a test of that guest needs it. */
function treeOf(guest: Guest): Promise<string> {
  let t = trees.get(guest.id);
  if (!t) trees.set(guest.id, (t = buildTreeAsync(guest.suite, treePackages(services, guest.id))));
  return t;
}

/** Boots the service with harden's drop-in and asserts it is healthy with the predicted offline figure. */
async function bootHealthy(t: TestContext, tree: string, guest: Guest, service: Service, h: HardenJson): Promise<BootResult> {
  assert.ok(h.dropin, 'something to add');
  const r = await bootWith(tree, guest, service, services, h.dropin);
  t.diagnostic(`${h.exposure_before} -> ${h.exposure_after}: ${summary(r)}`);
  assert.ok(r.probed, `the guest probe did not finish (nspawn status ${r.nspawnStatus}); console:\n${r.console.slice(-3000)}`);
  assert.ok(healthy(r, service), `${summary(r)}\n${h.dropin}\njournal:\n${`${r.journal}\n${r.logs}`.slice(-3000)}`);
  assert.equal(r.offlineExposure, h.exposure_after, 'in-guest systemd-analyze security --offline=yes equals exposure_after');
  return r;
}

if (unavailable) {
  test('boot tier: recommended drop-ins', { skip: `skipped: ${unavailable}` }, () => {});
} else {
  for (const guest of guests.guests) {
    for (const { profile, service } of bootableProfiles(services, guest)) {
      const skip = onlyGuests && !onlyGuests.has(guest.id) ? 'guest not in BOOT_GUESTS' : only && !only.has(profile.id) ? 'not in BOOT_PROFILES' : false;
      test(`harden on ${guest.id}: ${service.unit} with the ${profile.id} drop-in is healthy and as exposed as predicted`, { skip, timeout: 1_500_000 }, async (t) => {
        assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
        const tree = await treeOf(guest);
        const h = hardenOnTree(tree, guest, service);
        assert.equal(h.profile, profile.id, `harden picks the ${profile.id} profile for ${service.unit}`);
        const r = await bootHealthy(t, tree, guest, service, h);
        const row = profile.measured.find((m) => m.guest === guest.id);
        assert.ok(row, `${profile.id} has no measured row for ${guest.id}: record one with measure-profiles.ts --guest ${guest.id} --record (this boot: running ${r.exposure}, offline ${r.offlineExposure})`);
        assert.equal(row.systemd, guest.systemd);
        assert.equal(row.healthy, true);
        assert.equal(row.offline, h.exposure_after, 'the measured offline figure is the recommendation\'s');
        assert.equal(r.exposure, row.running, 'running exposure (systemd-analyze security in the guest) is the measured one');
      });
    }
    // An administrator's own units (services with files: node-app, sudo-app, home-app) match no profile:
    // harden recommends what suits any service, less every line a breaks-… rule flags for the unit (no
    // MemoryDenyWriteExecute= for node, no setting that sets no-new-privileges for the user that runs sudo,
    // no ProtectHome=yes for a program under /home). Booted, each must stay healthy.
    for (const service of servicesOn(services, guest.id).filter((s) => s.files)) {
      const skip = onlyGuests && !onlyGuests.has(guest.id) ? 'guest not in BOOT_GUESTS' : only && !only.has(service.name) ? 'not in BOOT_PROFILES' : false;
      test(`harden on ${guest.id}: ${service.unit} (an administrator's unit, no profile) stays healthy with its recommended drop-in, as exposed as predicted`, { skip, timeout: 1_500_000 }, async (t) => {
        assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
        const tree = await treeOf(guest);
        const h = hardenOnTree(tree, guest, service);
        assert.equal(h.profile, null, `no profile matches ${service.unit}`);
        await bootHealthy(t, tree, guest, service, h);
      });
    }
  }
}
