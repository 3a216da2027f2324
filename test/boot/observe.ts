/**
 * Boots cases of cases.json and prints what each boot showed, to write or check a case's recorded
 * expectation, exposure and journal line:
 *
 *   node --import tsx test/boot/observe.ts [--times N] [--tree DIR] [--record] [CASE-ID-OR-SERVICE...]
 *
 * One line per boot, then per case a verdict (stable or not across the N boots) and the journal
 * lines that look like a cause (errors, "failed", "denied", status=). Without ids, every case.
 * --record writes what the boots showed (expect, exposure, offlineExposure) into cases.json for
 * each case whose N boots all agreed; the journal line of a broken case is chosen by hand and only
 * checked here.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boot, bootUnavailable, buildTree } from './runner';
import { dropinText, healthy, loadCases, loadServices, masksFor, summary, treePackages } from './data';

const CAUSE = /emerg|error|fail|denied|not permitted|not supported|read-only|status=|errcode|could not|cannot/i;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let times = 2;
  let tree: string | undefined;
  let record = false;
  const ids: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--times') times = Number(args[++i]);
    else if (args[i] === '--tree') tree = args[++i];
    else if (args[i] === '--record') record = true;
    else ids.push(args[i]);
  }
  const why = bootUnavailable();
  if (why) throw new Error(`cannot boot here: ${why}`);
  const services = loadServices();
  const file = loadCases();
  const { blocks, cases } = file;
  const chosen = ids.length ? cases.filter((c) => ids.includes(c.id) || ids.includes(c.service)) : cases;
  const root = tree ?? buildTree(treePackages(services));
  for (const c of chosen) {
    const service = services.services.find((s) => s.name === c.service)!;
    const seen = new Set<string>();
    let lineSeen = 0;
    for (let i = 0; i < times; i++) {
      const r = await boot({ tree: root, unit: service.unit, check: service.check, dropin: dropinText(c, blocks), mask: masksFor(service, services.services), logs: service.logs });
      const verdict = healthy(r, service) ? 'healthy' : 'broken';
      seen.add(`${verdict} ${r.exposure} ${r.offlineExposure}`);
      if (c.journal && `${r.journal}\n${r.logs}`.includes(c.journal)) lineSeen++;
      if (record && i === times - 1 && seen.size === 1 && r.exposure !== null && r.offlineExposure !== null) {
        c.expect = verdict;
        c.exposure = r.exposure;
        c.offlineExposure = r.offlineExposure;
      }
      console.log(`${c.id} #${i + 1}: ${verdict} (recorded ${c.expect}) ${summary(r)}`);
      if (i === times - 1) {
        const causes = `${r.journal}\n${r.logs}`.split('\n').filter((l) => CAUSE.test(l)).slice(0, 8);
        for (const l of causes) console.log(`    | ${l}`);
        if (!r.probed) console.log(r.console.slice(-2000));
      }
    }
    const line = c.journal ? ` journal line seen ${lineSeen}/${times}` : '';
    console.log(`${c.id}: ${seen.size === 1 ? 'stable' : 'UNSTABLE'} ${[...seen].join(' / ')}${line}`);
  }
  if (record) writeFileSync(join(__dirname, 'cases.json'), `${JSON.stringify(file, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
