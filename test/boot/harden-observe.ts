/**
 * Boots each bootable profile's recommended drop-in (as harden.test.ts does) and prints what the boots
 * showed; with --record, writes the profile's `measured` row for the guest when every boot agreed
 * (healthy, the same running and offline exposure): never a figure a boot did not show.
 *
 *   node --import tsx test/boot/harden-observe.ts [--times N] [--record] [PROFILE-ID...]
 *
 * Needs `npm run build` first (it runs dist/cli.js).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, bootUnavailable, buildTree } from './runner';
import { healthy, loadGuests, loadServices, summary, treePackages } from './data';

// The profiles' measured rows are Debian 12's (debian-13 rows: see test/boot/README.md).
const debian12 = loadGuests().guests.find((g) => g.id === 'debian-12')!;
import { bootableProfiles, bootWith, GUEST, hardenOnTree } from './harden-run';

const CAUSE = /emerg|error|fail|denied|not permitted|not supported|read-only|status=|errcode|could not|cannot/i;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let times = 2;
  let record = false;
  const ids: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--times') times = Number(args[++i]);
    else if (args[i] === '--record') record = true;
    else ids.push(args[i]!);
  }
  const why = bootUnavailable();
  if (why) throw new Error(`cannot boot here: ${why}`);
  const services = loadServices();
  const tree = buildTree(debian12.suite, treePackages(services, debian12.id));
  for (const { profile, service } of bootableProfiles(services)) {
    if (ids.length && !ids.includes(profile.id)) continue;
    const h = hardenOnTree(tree, service.unit);
    console.log(`${profile.id}: harden picked ${h.profile}, ${h.exposure_before} -> ${h.exposure_after}`);
    const seen = new Set<string>();
    let last = { healthy: false, running: null as number | null, offline: null as number | null, wall: 0 };
    for (let i = 0; i < times; i++) {
      const r = await bootWith(tree, service, services, h.dropin);
      const ok = healthy(r, service);
      seen.add(`${ok} ${r.exposure} ${r.offlineExposure}`);
      last = { healthy: ok, running: r.exposure, offline: r.offlineExposure, wall: Math.max(last.wall, r.wallS) };
      console.log(`  #${i + 1}: ${ok ? 'HEALTHY' : 'BROKEN'} ${summary(r)}`);
      if (!ok || i === times - 1) for (const l of `${r.journal}\n${r.logs}`.split('\n').filter((x) => CAUSE.test(x)).slice(0, 8)) console.log(`    | ${l}`);
    }
    const stable = seen.size === 1;
    console.log(`${profile.id}: ${stable ? 'stable' : 'UNSTABLE'} ${[...seen].join(' / ')}`);
    if (record && stable && last.healthy && last.offline === h.exposure_after && last.running !== null && h.profile === profile.id) {
      const path = join(REPO, 'server', 'data', 'service-profiles', `${profile.id}.json`);
      const data = JSON.parse(readFileSync(path, 'utf8')) as { measured: unknown[] };
      const row = { guest: GUEST.guest, systemd: GUEST.systemd, offline: last.offline, running: last.running, healthy: true, bootSeconds: Number(last.wall.toFixed(1)) };
      data.measured = [...data.measured.filter((m) => (m as { guest: string }).guest !== GUEST.guest), row];
      writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
      console.log(`  recorded ${JSON.stringify(row)}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
