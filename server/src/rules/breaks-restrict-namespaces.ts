/**
 * breaks-restrict-namespaces: RestrictNamespaces= takes away a namespace type that one of the unit's own
 * command lines creates: `unshare --mount` needs mnt, `unshare --net` net, bwrap and firejail a mount
 * namespace, systemd-nspawn mount, PID, IPC and UTS, a container runtime a mount namespace for every
 * container (knowledge/namespace-creators.ts reads the command lines). The filter makes unshare()
 * and clone() fail with EPERM: `unshare --mount` prints "unshare failed: Operation not permitted"
 * and the service fails to start (booted, test/boot/cases.json nginx-unshare-restrict-namespaces).
 *
 * The finding sits on the line that took the type away; its fix adds `RestrictNamespaces=TYPES` after
 * the last RestrictNamespaces= line. After a first assignment, a list adds its types to what is
 * allowed (a `yes` or `no` starts again), so the other types stay restricted.
 */
import { EXEC_COMMAND_KEYS } from '../model/security-types';
import { lastAssignment } from '../model/build';
import type { Assignment } from '../model/unit-model';
import { foldRestrictNamespaces } from '../model/values/namespaces';
import { namespaceFlag } from '../model/values/name-lookups';
import { namespacesCreated, type NamespaceName } from '../knowledge/namespace-creators';
import { type Context, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic } from './diagnostic';

interface Need {
  type: NamespaceName;
  flag: bigint;
  /** The command as evidence and the setting it is on. */
  evidence: string;
  key: string;
}

/** What the filter makes the commands print, by program (what the boots showed where we booted one). */
function failure(program: string): string {
  if (program === 'unshare') return '"unshare: unshare failed: Operation not permitted" and the service fails to start';
  return 'the namespace cannot be created (unshare() or clone() fails with "Operation not permitted"), and the service fails';
}

export function restrictNamespacesBreakage(ctx: Context): Diagnostic[] {
  const { model, values } = ctx;
  const allowed = values.restrictNamespaces;
  const needs: Need[] = [];
  for (const key of EXEC_COMMAND_KEYS) {
    for (const cmd of values.exec[key]) {
      // `+` runs the command outside the sandbox: no namespace filter applies to it.
      if (cmd.fullyPrivileged || cmd.viaShell) continue;
      const use = namespacesCreated(cmd.path, cmd.argv.slice(1));
      if (!use) continue;
      for (const type of use.types) {
        const f = namespaceFlag(type, model.version);
        if (f === undefined || (allowed & BigInt(f)) !== 0n || needs.some((n) => n.type === type)) continue;
        needs.push({ type, flag: BigInt(f), evidence: use.evidence, key });
      }
    }
  }
  if (needs.length === 0) return [];
  const last = lastAssignment(model, 'Service', 'RestrictNamespaces');
  if (!last) return [];
  const byLine = new Map<Assignment, Need[]>();
  for (const n of needs) {
    const line = lineTakingAway(ctx, n.flag) ?? last;
    byLine.set(line, [...(byLine.get(line) ?? []), n]);
  }
  const add = `RestrictNamespaces=${needs.map((n) => n.type).join(' ')}`;
  const out: Diagnostic[] = [];
  for (const [line, lost] of byLine) {
    const types = lost.map((n) => n.type).join(', ');
    // One clause per command: "ExecStart= runs `bwrap --unshare-pid`, which creates mnt and pid namespaces".
    const byCommand = new Map<string, NamespaceName[]>();
    for (const n of lost) {
      const k = `${n.key}= runs \`${n.evidence}\``;
      byCommand.set(k, [...(byCommand.get(k) ?? []), n.type]);
    }
    const uses = [...byCommand]
      .map(
        ([k, t]) =>
          `${k}, which creates ${t.length === 1 ? `a ${t[0]} namespace` : `${t.slice(0, -1).join(', ')} and ${t[t.length - 1]} namespaces`}`,
      )
      .join('; ');
    out.push({
      code: 'breaks-restrict-namespaces',
      severity: 'warning',
      message:
        `RestrictNamespaces=${line.value} forbids creating ${types} namespaces, but ${uses}: expect ${failure(lost[0]!.evidence.split(' ')[0]!)}. ` +
        `${add} after the last RestrictNamespaces= line allows ${needs.length === 1 ? 'it' : 'them'} and keeps the other types restricted.`,
      file: line.file.path,
      span: lineSpan(line),
      fixes: [
        {
          title: `Allow ${needs.map((n) => n.type).join(', ')} namespaces (add ${add})`,
          edits: [lineAfter(last, [add])],
          preferred: true,
        },
      ],
    });
  }
  return out;
}

/** The last RestrictNamespaces= assignment after which `flag` was no longer allowed (folding the lines one by one). */
function lineTakingAway(ctx: Context, flag: bigint): Assignment | undefined {
  const list = ctx.model.settings.get('Service.RestrictNamespaces') ?? [];
  let before = foldRestrictNamespaces([], ctx.model.version).value;
  let found: Assignment | undefined;
  for (let i = 0; i < list.length; i++) {
    const after = foldRestrictNamespaces([list[i]!], ctx.model.version, before).value;
    if ((before & flag) !== 0n && (after & flag) === 0n) found = list[i];
    before = after;
  }
  return found;
}
