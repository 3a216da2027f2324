/**
 * Booting a service with the drop-in `harden` recommends for it: the CLI (dist/cli.js) is run on the
 * guest's tree with the guest's systemd version, as an administrator runs it on that machine
 * (`harden --format json --systemd-version V --root TREE UNIT`), and the service is booted with the
 * drop-in it printed.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_PROFILES, type ServiceProfile } from '../../server/src/service';
import { REPO, boot, type BootResult } from './runner';
import { masksFor, serviceFiles, servicesOn, type Guest, type Service, type ServicesFile } from './data';
import { unitRoot } from './unit-root';

export const CLI = join(REPO, 'dist', 'cli.js');

export interface HardenJson {
  file: string;
  unit: string;
  profile: string | null;
  dropin_path: string | null;
  dropin: string;
  exposure_before: number | null;
  exposure_after: number | null;
  error?: string;
}

/** Profiles proven by booting a service of services.json, with that service as it is on the guest. */
export function bootableProfiles(services: ServicesFile, guest: Guest): { profile: ServiceProfile; service: Service }[] {
  const all = servicesOn(services, guest.id);
  const out: { profile: ServiceProfile; service: Service }[] = [];
  for (const profile of SERVICE_PROFILES) {
    const service = all.find((s) => s.name === profile.boot.service);
    if (service) out.push({ profile, service });
  }
  return out;
}

/**
 * Runs `fn` on the root the service's unit is read from: the tree itself, or, for a service that
 * places files of its own in the guest (its own unit), a copy of the tree's unit folders with them.
 */
export function onServiceRoot<T>(tree: string, service: Service, fn: (root: string) => T): T {
  const files = serviceFiles(service);
  if (files.length === 0) return fn(tree);
  const root = unitRoot(tree, null, null, files);
  try {
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** What `harden --format json --systemd-version V --root TREE UNIT` prints for the service's unit. */
export function hardenOnTree(tree: string, guest: Guest, service: Service): HardenJson {
  const unit = service.unit;
  const r = onServiceRoot(tree, service, (root) => spawnSync(process.execPath, [CLI, 'harden', '--format', 'json', '--systemd-version', String(guest.systemd), '--root', root, unit], { encoding: 'utf8', timeout: 120_000 }));
  const out = JSON.parse(r.stdout || '[]') as HardenJson[];
  if (r.status !== 0 || out.length !== 1) throw new Error(`harden on ${unit} exited with ${r.status}: ${r.stderr}${r.stdout}`);
  return out[0]!;
}

export function bootWith(tree: string, guest: Guest, service: Service, services: ServicesFile, dropin: string): Promise<BootResult> {
  const all = servicesOn(services, guest.id);
  return boot({ tree, unit: service.unit, check: service.check, dropin, mask: masksFor(service, all), files: serviceFiles(service), logs: service.logs, unifiedCgroup: guest.unifiedCgroup });
}
