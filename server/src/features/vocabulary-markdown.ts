/**
 * Markdown documentation of the value vocabularies, for hover and completion: system-call groups and
 * calls, capabilities, address families, namespace types, errno names and architectures, with the
 * checks of `systemd-analyze security` that read them. Static per (value, version) and memoized.
 */
import { assessorsFor } from '../exposure/assessors';
import {
  type AddressFamily,
  type Capability,
  type ErrnoName,
  expandSyscallGroup,
  isResolvableSyscall,
  type NamespaceType,
  type SyscallGroup,
  syscallGroups,
  type TargetVersion,
} from '../knowledge/vocabulary';
import { targetVersion } from '../model/values/folded';
import { architectureDoc } from './directive-docs';
import { code, memoize, plain } from './markdown';

/** Which check of a version reads a capability (json_field and printed name), if any. */
export function capabilityChecks(version: number, capName: string): { json_field: string; name: string }[] {
  const out: { json_field: string; name: string }[] = [];
  for (const a of assessorsFor(version)) {
    if (a.kind === 'capability_bounding_set' && (a.parameters?.capabilities ?? []).includes(capName)) {
      out.push({ json_field: a.json_field, name: a.name });
    }
  }
  return out;
}

export const capabilityMarkdown = /* @__PURE__ */ memoize((c: Capability, version: number): string => {
  const parts = [`**${c.name}** (capability ${c.number})`, plain(c.description)];
  if (c.risk) parts.push(`**Risk:** ${plain(c.risk)}`);
  const checks = capabilityChecks(version, c.name);
  if (checks.length) parts.push(`Checked by systemd-analyze security: ${checks.map((k) => code(k.name)).join(', ')}.`);
  if (c.since > 252) parts.push(`Known to systemd ${c.since} and later.`);
  return parts.join('\n\n');
});

interface GroupIndex {
  /** syscall name -> the groups (not @known) whose expansion contains it, in table order */
  groupsOf: Map<string, string[]>;
  expansions: Map<string, Set<string>>;
}
const groupIndexes = new Map<TargetVersion, GroupIndex>();

/** Per version: which groups contain each system call (built once, on first use). */
export function groupIndex(version: number): GroupIndex {
  const v = targetVersion(version);
  let index = groupIndexes.get(v);
  if (!index) {
    index = { groupsOf: new Map(), expansions: new Map() };
    for (const g of syscallGroups(v)) {
      const names = expandSyscallGroup(v, g.name);
      index.expansions.set(g.name, names);
      if (g.name === '@known') continue;
      for (const n of names) {
        const l = index.groupsOf.get(n);
        if (l) l.push(g.name);
        else index.groupsOf.set(n, [g.name]);
      }
    }
    groupIndexes.set(v, index);
  }
  return index;
}

export const syscallGroupMarkdown = /* @__PURE__ */ memoize((g: SyscallGroup, version: number): string => {
  const v = targetVersion(version);
  const parts = [`**${plain(g.name)}** — system-call group (systemd ${v})`, plain(g.description)];
  if (g.typicallyNeededBy.length) parts.push(`**Typically needed by:** ${g.typicallyNeededBy.map(plain).join('; ')}`);
  const total = groupIndex(v).expansions.get(g.name)?.size ?? 0;
  const shown = g.members.slice(0, 60).map(code).join(' ');
  const more = g.members.length > 60 ? ` … and ${g.members.length - 60} more` : '';
  parts.push(
    `**Members (${g.members.length}${total !== g.members.length ? `, ${total} calls with nested groups expanded` : ''}):** ${shown}${more}`,
  );
  const check = assessorsFor(v).find((a) => a.kind === 'system_call_filter' && a.parameters?.syscallGroup === g.name);
  if (check)
    parts.push(`systemd-analyze security checks that this group is filtered (${code(`SystemCallFilter=~${g.name}`)}).`);
  return parts.join('\n\n');
});

export const syscallMarkdown = /* @__PURE__ */ memoize((name: string, version: number): string => {
  const v = targetVersion(version);
  const groups = groupIndex(v).groupsOf.get(name) ?? [];
  const parts = [`**${plain(name)}** — system call`];
  parts.push(groups.length ? `In ${groups.map(code).join(', ')}.` : 'Not in any group but @known.');
  if (!isResolvableSyscall(v, name)) parts.push('libseccomp does not know it on x86-64, so systemd ignores it there.');
  return parts.join('\n\n');
});

export const addressFamilyMarkdown = /* @__PURE__ */ memoize((f: AddressFamily): string => {
  const parts = [`**${f.name}** (address family ${f.number})`, plain(f.description)];
  if (f.aliasOf) parts.push(`Another name for ${code(f.aliasOf)}.`);
  const bucket =
    f.number === 1
      ? 'AF_UNIX'
      : f.number === 2 || f.number === 10
        ? 'AF_(INET|INET6)'
        : f.number === 16
          ? 'AF_NETLINK'
          : f.number === 17
            ? 'AF_PACKET'
            : f.number === 0
              ? null
              : '… (all other families)';
  if (bucket)
    parts.push(`Counted by the systemd-analyze security check ${code(`RestrictAddressFamilies=~${bucket}`)}.`);
  return parts.join('\n\n');
});

export const namespaceMarkdown = /* @__PURE__ */ memoize((t: NamespaceType, version: number): string => {
  const v = targetVersion(version);
  const parts = [`**${t.name}** namespace (${t.cloneFlag}, ${t.hex})`, plain(t.description)];
  if (t.coveredByYesSince === null || t.coveredByYesSince > v)
    parts.push(`In systemd ${v}, ${code('RestrictNamespaces=yes')} does not cover this type; list it explicitly.`);
  return parts.join('\n\n');
});

export function errnoMarkdown(e: ErrnoName): string {
  const parts = [`**${e.name}** (errno ${e.number})`, plain(e.description)];
  if (e.aliasOf) parts.push(`Another name for ${code(e.aliasOf)}.`);
  return parts.join('\n\n');
}

export function architectureMarkdown(name: string): string {
  return [`**${plain(name)}** — system-call ABI`, architectureDoc(name) ?? 'An architecture libseccomp knows.'].join(
    '\n\n',
  );
}
