/**
 * Boots one service by hand, for exploring a drop-in before writing it into cases.json:
 *
 *   node --import tsx test/boot/try.ts SERVICE [DROPIN-FILE|CASE-ID|none] [--times N] [--tree DIR] [--mask UNIT]...
 *
 * Prints the result as JSON lines (one per boot) and the unit's journal of the last boot. Without
 * --tree it builds or reuses the cached tree. Set BOOT_KEEP_OUTPUT=DIR to keep the guest's files.
 */
import { readFileSync } from 'node:fs';
import { boot, bootUnavailable, buildTree } from './runner';
import { dropinText, loadCases, loadServices, masksFor, healthy, summary, treePackages } from './data';

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
  const [serviceName, what = 'none'] = args;
  const why = bootUnavailable();
  if (why) throw new Error(`cannot boot here: ${why}`);
  const services = loadServices();
  const service = services.services.find((s) => s.name === serviceName);
  if (!service) throw new Error(`usage: try.ts SERVICE [DROPIN|CASE-ID|none]; services: ${services.services.map((s) => s.name).join(', ')}`);
  const cases = loadCases();
  const known = cases.cases.find((c) => c.id === what);
  const dropin = what === 'none' ? null : known ? dropinText(known, cases.blocks) : readFileSync(what, 'utf8');
  const root = tree ?? buildTree(treePackages(services));
  let last = '';
  for (let i = 0; i < times; i++) {
    const r = await boot({ tree: root, unit: service.unit, check: service.check, dropin, mask: [...masksFor(service, services.services), ...extraMasks], logs: service.logs });
    console.log(`${healthy(r, service) ? 'HEALTHY' : 'BROKEN '} ${summary(r)}`);
    last = `${r.journal}${r.logs}` || r.console;
  }
  console.log(`--- journal of the last boot\n${last}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
