/**
 * Booting a service with the drop-in `harden` recommends for it: the CLI (dist/cli.js) is run on the
 * guest tree, as an administrator runs it on a machine (`harden --format json --root TREE UNIT`), and
 * the service is booted with the drop-in it printed. Shared by harden.test.ts and harden-observe.ts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { SERVICE_PROFILES, type ServiceProfile } from '../../server/src/service';
import { REPO, boot, type BootResult } from './runner';
import { masksFor, type Service, type ServicesFile } from './data';

export const CLI = join(REPO, 'dist', 'cli.js');
/** The guest the tree is: Debian 12 with systemd 252. */
export const GUEST = { guest: 'debian-12', systemd: 252 } as const;

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

/** Profiles proven by booting a service of services.json, with that service. */
export function bootableProfiles(services: ServicesFile): { profile: ServiceProfile; service: Service }[] {
  const out: { profile: ServiceProfile; service: Service }[] = [];
  for (const profile of SERVICE_PROFILES) {
    const service = services.services.find((s) => s.name === profile.boot.service);
    if (service) out.push({ profile, service });
  }
  return out;
}

/** What `harden --format json --root TREE UNIT` prints for the service's unit. */
export function hardenOnTree(tree: string, unit: string): HardenJson {
  const r = spawnSync(process.execPath, [CLI, 'harden', '--format', 'json', '--root', tree, unit], { encoding: 'utf8', timeout: 120_000 });
  const out = JSON.parse(r.stdout || '[]') as HardenJson[];
  if (r.status !== 0 || out.length !== 1) throw new Error(`harden on ${unit} exited with ${r.status}: ${r.stderr}${r.stdout}`);
  return out[0]!;
}

export function bootWith(tree: string, service: Service, services: ServicesFile, dropin: string): Promise<BootResult> {
  return boot({ tree, unit: service.unit, check: service.check, dropin, mask: masksFor(service, services.services), logs: service.logs });
}
