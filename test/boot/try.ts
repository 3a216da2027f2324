/**
 * Boots one service by hand, for exploring a drop-in before writing it into cases.json:
 *
 *   node --import tsx test/boot/try.ts SERVICE [DROPIN-FILE|CASE-ID|none] [--guest ID] [--times N] [--tree DIR] [--mask UNIT]...
 *
 * Prints one summary line per boot and the unit's journal of the last boot. --guest picks the
 * guest (guests.json; by default a case's own guest, else the default guest). Without --tree it
 * builds or reuses the guest's cached tree. Set BOOT_KEEP_OUTPUT=DIR to keep the guest's files.
 */
import { readFileSync } from 'node:fs';
import { boot, bootUnavailable, buildTree } from './runner';
import { dropinText, guestById, guestOf, loadCases, loadGuests, loadServices, masksFor, healthy, serviceFiles, servicesOn, summary, treePackages } from './data';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string): string[] => {
    const out: string[] = [];
    for (let i = args.indexOf(name); i >= 0; i = args.indexOf(name)) {
      out.push(args[i + 1] ?? '');
      args.splice(i, 2);
    }
    return out;
  };
  const times = Number(opt('--times')[0] ?? 1);
  const tree = opt('--tree')[0];
  const extraMasks = opt('--mask');
  const guestOpt = opt('--guest')[0];
  const [serviceName, what = 'none'] = args;
  const why = bootUnavailable();
  if (why) throw new Error(`cannot boot here: ${why}`);
  const guests = loadGuests();
  const services = loadServices();
  const cases = loadCases();
  const known = cases.cases.find((c) => c.id === what);
  const guest = guestById(guestOpt ?? (known ? guestOf(known, guests) : guests.default), guests);
  const all = servicesOn(services, guest.id);
  const service = all.find((s) => s.name === serviceName);
  if (!service) throw new Error(`usage: try.ts SERVICE [DROPIN|CASE-ID|none] [--guest ID]; services: ${all.map((s) => s.name).join(', ')}`);
  const dropin = what === 'none' ? null : known ? dropinText(known, cases.blocks) : readFileSync(what, 'utf8');
  const root = tree ?? buildTree(guest.suite, treePackages(services, guest.id));
  let last = '';
  for (let i = 0; i < times; i++) {
    const r = await boot({ tree: root, unit: service.unit, check: service.check, dropin, mask: [...masksFor(service, all), ...extraMasks], files: serviceFiles(service), logs: service.logs, unifiedCgroup: guest.unifiedCgroup });
    console.log(`${healthy(r, service) ? 'HEALTHY' : 'BROKEN '} ${summary(r)}`);
    last = `${r.journal}${r.logs}` || r.console;
  }
  console.log(`--- journal of the last boot\n${last}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
