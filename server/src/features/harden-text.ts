/**
 * The recommended drop-in as an administrator writes it: a first comment saying what produced it and
 * the exposure before and after, the `[Service]` header, then the settings in groups, each with a
 * short comment, one line per directive.
 */

export interface Line {
  key: string;
  value: string;
  /** Index of its group. */
  group: number;
}

export function lineText(l: Line): string {
  return `${l.key}=${l.value}`;
}

/** The drop-in without comments: what the pipeline scores and checks, line i of `lines` on text line i + 2. */
export function bareText(lines: readonly Line[]): string {
  return `[Service]\n${lines.map(lineText).join('\n')}\n`;
}

/** The index in `lines` of the line at `offset` of bareText(lines), or -1 (the header). */
export function lineAt(lines: readonly Line[], offset: number): number {
  let start = '[Service]\n'.length;
  if (offset < start) return -1;
  for (let i = 0; i < lines.length; i++) {
    const end = start + lineText(lines[i]!).length + 1;
    if (offset < end) return i;
    start = end;
  }
  return -1;
}

export function dropinText(header: readonly string[], comments: readonly string[], lines: readonly Line[]): string {
  if (lines.length === 0) return '';
  const out: string[] = header.map((h) => `# ${h}`);
  out.push('[Service]');
  for (let g = 0; g < comments.length; g++) {
    const inGroup = lines.filter((l) => l.group === g);
    if (inGroup.length === 0) continue;
    out.push('', `# ${comments[g]}`);
    for (const l of inGroup) out.push(lineText(l));
  }
  return out.join('\n') + '\n';
}

/** Groups for lines that come without a profile (the safe set), by directive. */
const CATEGORIES: readonly (readonly [comment: string, keys: readonly string[]])[] = [
  [
    'No new privileges: no set-user-id programs, no real-time scheduling, no other personality',
    [
      'NoNewPrivileges',
      'RestrictSUIDSGID',
      'RestrictRealtime',
      'LockPersonality',
      'RemoveIPC',
      'KeyringMode',
      'SystemCallArchitectures',
      'MemoryDenyWriteExecute',
      'UMask',
    ],
  ],
  [
    'The kernel, the clock, the host name and the control groups are off limits',
    [
      'ProtectKernelTunables',
      'ProtectKernelModules',
      'ProtectKernelLogs',
      'ProtectControlGroups',
      'ProtectClock',
      'ProtectHostname',
      'ProtectProc',
      'ProcSubset',
    ],
  ],
  ['A private /tmp', ['PrivateTmp', 'ProtectHome', 'PrivateDevices', 'ProtectSystem']],
  ['No new namespaces', ['RestrictNamespaces']],
];
export const OTHER_COMMENT = 'Other settings that suit any service';

/** The safe set's lines grouped by CATEGORIES, with lists of `~` lines of one directive made one line. */
export function groupSafeLines(raw: readonly string[], namespaceCount: number): { comments: string[]; lines: Line[] } {
  const merged: { key: string; value: string }[] = [];
  for (const l of raw) {
    const eq = l.indexOf('=');
    const key = l.slice(0, eq);
    const value = l.slice(eq + 1);
    const prev = merged.find((m) => m.key === key);
    if (prev && prev.value.startsWith('~') && value.startsWith('~')) prev.value += ' ' + value.slice(1);
    else merged.push({ key, value });
  }
  for (const m of merged) {
    // Every namespace type denied one by one is RestrictNamespaces=yes.
    if (
      m.key === 'RestrictNamespaces' &&
      m.value.startsWith('~') &&
      new Set(m.value.slice(1).trim().split(/\s+/)).size >= namespaceCount
    )
      m.value = 'yes';
  }
  const comments = CATEGORIES.map((c) => c[0]);
  comments.push(OTHER_COMMENT);
  const lines = merged.map((m) => {
    const at = CATEGORIES.findIndex((c) => c[1].includes(m.key));
    return { ...m, group: at < 0 ? CATEGORIES.length : at };
  });
  lines.sort((a, b) => a.group - b.group);
  return { comments, lines };
}
