/**
 * Boots each service profile's recommended drop-in on one guest and prints (or records) the profile's
 * `measured` row for that guest:
 *
 *   npm run build && node --import tsx test/boot/measure-profiles.ts --guest debian-13 [--times 2] [--record] [PROFILE-ID...]
 *
 * For every profile of server/data/service-profiles with "boot": {"service": ...} (or only the ids
 * given): the drop-in is what our CLI recommends for the service's unit in the guest's tree
 * (`node dist/cli.js harden --format json --systemd-version V --root TREE UNIT`); it is booted N
 * times and the row is { guest, systemd, offline, running, healthy, bootSeconds } from the boots:
 * the guest's `systemd-analyze security --offline=yes` and running figures, the service's health
 * check, and the wall time of the slowest boot (as harden-observe.ts records it). --record writes the row into the profile (replacing that
 * guest's row) only when every boot agreed. It also says when the guest's offline figure differs
 * from the CLI's predicted exposure_after.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, boot, bootUnavailable, buildTree } from './runner';
import { guestById, healthy, loadGuests, loadServices, masksFor, serviceFiles, servicesOn, summary, treePackages } from './data';
import { onServiceRoot } from './harden-run';

interface Measured {
  guest: string;
  systemd: number;
  offline: number;
  running: number | null;
  healthy: boolean | null;
  bootSeconds?: number;
}
interface Profile {
  id: string;
  boot?: { service?: string; cannot?: string };
  measured?: Measured[];
}

const PROFILES = join(REPO, 'server', 'data', 'service-profiles');
const CLI = join(REPO, 'dist', 'cli.js');

/**
 * The profile's text with its "measured" list replaced by these rows, the rest of the file as it was
 * written: a profile written as JSON.stringify(profile, null, 2) writes it is written so again; in
 * one written by hand, only the list's text changes, a row per line, rows that stay keep their text.
 */
export function withMeasured(text: string, rows: Measured[]): string {
  const profile = JSON.parse(text) as Profile;
  if (!Array.isArray(profile.measured)) throw new Error('the profile has no "measured" list');
  if (`${JSON.stringify(profile, null, 2)}\n` === text) {
    profile.measured = rows;
    return `${JSON.stringify(profile, null, 2)}\n`;
  }
  const m = /^([ \t]*)"measured"\s*:\s*\[([^\]]*)\]/m.exec(text);
  if (!m) throw new Error('the profile\'s "measured" list is not where it can be rewritten');
  const indent = m[1]!;
  const kept = new Map<string, string>();
  for (const old of m[2]!.match(/\{[^{}]*\}/g) ?? []) kept.set(JSON.stringify(JSON.parse(old)), old);
  const line = (r: Measured): string => kept.get(JSON.stringify(r)) ?? `{ ${Object.entries(r).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
  const list = rows.length ? `[\n${rows.map((r) => `${indent}  ${line(r)}`).join(',\n')}\n${indent}]` : '[]';
  return `${text.slice(0, m.index)}${indent}"measured": ${list}${text.slice(m.index + m[0].length)}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let times = 2;
  let guestId: string | undefined;
  let record = false;
  const ids: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--times') times = Number(args[++i]);
    else if (args[i] === '--guest') guestId = args[++i];
    else if (args[i] === '--record') record = true;
    else ids.push(args[i]);
  }
  if (!guestId) throw new Error('usage: measure-profiles.ts --guest ID [--times N] [--record] [PROFILE-ID...]');
  const why = bootUnavailable();
  if (why) throw new Error(`cannot boot here: ${why}`);
  const guests = loadGuests();
  const guest = guestById(guestId, guests);
  const services = loadServices();
  const all = servicesOn(services, guest.id);
  const tree = buildTree(guest.suite, treePackages(services, guest.id));
  const files = readdirSync(PROFILES).filter((f) => f.endsWith('.json')).sort();
  for (const f of files) {
    const path = join(PROFILES, f);
    const text = readFileSync(path, 'utf8');
    const profile = JSON.parse(text) as Profile;
    if (ids.length && !ids.includes(profile.id)) continue;
    const serviceName = profile.boot?.service;
    if (!serviceName) continue;
    const service = all.find((s) => s.name === serviceName);
    if (!service) {
      console.log(`${profile.id}: boots service ${serviceName}, which services.json lacks`);
      continue;
    }
    const h = onServiceRoot(tree, service, (root) => spawnSync(process.execPath, [CLI, 'harden', '--format', 'json', '--systemd-version', String(guest.systemd), '--root', root, service.unit], { encoding: 'utf8', timeout: 60_000 }));
    const out = JSON.parse(h.stdout || '[]') as { profile: string | null; dropin: string; exposure_after: number | null; error?: string }[];
    if (out.length !== 1 || out[0].error || out[0].profile !== profile.id) {
      console.log(`${profile.id}: harden of ${service.unit} gave ${h.stdout.slice(0, 300)}${h.stderr.slice(0, 300)}`);
      continue;
    }
    const seen = new Set<string>();
    let wall = 0;
    let last: Measured | null = null;
    for (let i = 0; i < times; i++) {
      const r = await boot({ tree, unit: service.unit, check: service.check, dropin: out[0].dropin, mask: masksFor(service, all), files: serviceFiles(service), logs: service.logs, unifiedCgroup: guest.unifiedCgroup });
      const ok = healthy(r, service);
      console.log(`${profile.id} #${i + 1}: ${ok ? 'healthy' : 'BROKEN'} ${summary(r)}`);
      if (!ok) console.log(`${r.journal}${r.logs}`.split('\n').slice(-15).map((l) => `    | ${l}`).join('\n'));
      seen.add(`${ok} ${r.exposure} ${r.offlineExposure}`);
      wall = Math.max(wall, r.wallS);
      if (r.offlineExposure !== null) last = { guest: guest.id, systemd: guest.systemd, offline: r.offlineExposure, running: r.exposure, healthy: ok, bootSeconds: Number(wall.toFixed(1)) };
    }
    const stable = seen.size === 1 && last !== null;
    const predicted = out[0].exposure_after;
    console.log(`${profile.id}: ${stable ? 'stable' : 'UNSTABLE'} ${JSON.stringify(last)}${last && predicted !== last.offline ? ` (our CLI predicted ${predicted})` : ''}`);
    if (record && stable && last) {
      const rows = [...(profile.measured ?? []).filter((m) => m.guest !== guest.id), last].sort((a, b) => a.guest.localeCompare(b.guest));
      writeFileSync(path, withMeasured(text, rows));
    }
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
