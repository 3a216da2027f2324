/**
 * Boots cases of cases.json and prints what each boot showed, to write or check a case's recorded
 * expectation, exposure and journal line:
 *
 *   node --import tsx test/boot/observe.ts [--times N] [--guest ID] [--tree DIR] [--record] [CASE-ID-OR-SERVICE...]
 *
 * A service name picks that service's cases on every guest; --guest keeps only one guest's cases
 * (--tree DIR then boots that tree instead of the cached one).
 * One line per boot, then per case a verdict (stable or not across the N boots) and the journal
 * lines that look like a cause (errors, "failed", "denied", status=). Without ids, every case.
 * --record writes what the boots showed (expect, exposure, offlineExposure) into cases.json for
 * each case whose N boots all agreed. The evidence of a broken case is chosen by hand and checked
 * here: its journal line, or for a failure that leaves none, a substring of the check's output
 * (checkOutput). A broken case with neither gets, with --record, the last line of the check's output
 * as its checkOutput when every boot printed that same line (shorten it by hand to what explains
 * the failure, dropping anything that varies between boots, such as a time).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boot, bootUnavailable, buildTree } from './runner';
import { caseSetup, guestOf, healthy, loadCases, loadGuests, loadServices, missingEvidence, summary, treePackages } from './data';

const CAUSE = /emerg|error|fail|denied|not permitted|not supported|read-only|status=|errcode|could not|cannot/i;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let times = 2;
  let tree: string | undefined;
  let onlyGuest: string | undefined;
  let record = false;
  const ids: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--times') times = Number(args[++i]);
    else if (args[i] === '--tree') tree = args[++i];
    else if (args[i] === '--guest') onlyGuest = args[++i];
    else if (args[i] === '--record') record = true;
    else ids.push(args[i]);
  }
  const why = bootUnavailable();
  if (why) throw new Error(`cannot boot here: ${why}`);
  const guests = loadGuests();
  const services = loadServices();
  const file = loadCases();
  const { blocks, cases } = file;
  if (tree && !onlyGuest) throw new Error('--tree needs --guest (the guest whose tree it is)');
  const chosen = cases.filter((c) => (!ids.length || ids.includes(c.id) || ids.includes(c.service)) && (!onlyGuest || guestOf(c, guests) === onlyGuest));
  const trees = new Map<string, string>();
  for (const c of chosen) {
    const { guest, service, dropin, mask, files } = caseSetup(c, services, blocks, guests);
    if (!trees.has(guest.id)) trees.set(guest.id, tree ?? buildTree(guest.suite, treePackages(services, guest.id)));
    const root = trees.get(guest.id)!;
    const seen = new Set<string>();
    const lastLines = new Set<string>();
    let evidenceSeen = 0;
    const what = [c.journal && 'journal line', c.checkOutput && 'check output'].filter(Boolean).join(' and ');
    for (let i = 0; i < times; i++) {
      const r = await boot({ tree: root, unit: service.unit, check: service.check, dropin, mask, files, logs: service.logs, unifiedCgroup: guest.unifiedCgroup });
      const verdict = healthy(r, service) ? 'healthy' : 'broken';
      seen.add(`${verdict} ${r.exposure} ${r.offlineExposure}`);
      if (missingEvidence(c, r).length === 0) evidenceSeen++;
      lastLines.add(r.checkOutput.trim().split('\n').pop() ?? '');
      if (record && i === times - 1 && seen.size === 1 && r.exposure !== null && r.offlineExposure !== null) {
        c.expect = verdict;
        c.exposure = r.exposure;
        c.offlineExposure = r.offlineExposure;
        const [line] = lastLines;
        if (verdict === 'broken' && !c.journal && !c.checkOutput && lastLines.size === 1 && line) c.checkOutput = line;
      }
      console.log(`${c.id} #${i + 1}: ${verdict} (recorded ${c.expect}) ${summary(r)}`);
      if (i === times - 1) {
        const causes = `${r.journal}\n${r.logs}`.split('\n').filter((l) => CAUSE.test(l)).slice(0, 8);
        for (const l of causes) console.log(`    | ${l}`);
        if (verdict === 'broken') for (const l of r.checkOutput.trim().split('\n').slice(-4)) console.log(`    check> ${l}`);
        if (!r.probed) console.log(r.console.slice(-2000));
      }
    }
    const line = what ? ` ${what} seen ${evidenceSeen}/${times}` : '';
    console.log(`${c.id}: ${seen.size === 1 ? 'stable' : 'UNSTABLE'} ${[...seen].join(' / ')}${line}`);
  }
  if (record) writeFileSync(join(__dirname, 'cases.json'), `${JSON.stringify(file, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
