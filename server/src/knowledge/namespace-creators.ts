/**
 * Programs that create namespaces, read from a command line: container runtimes and machine managers
 * (their containers get namespaces of their own), and sandboxers (unshare, bwrap, firejail,
 * systemd-nspawn) with the namespaces their options ask for.
 *
 * Two users share this: the breaks-restrict-namespaces rule (rules/breaks-restrict-namespaces.ts) warns when
 * RestrictNamespaces= takes away a type a command needs, and exposure/breakage.ts holds back suggestions
 * for any unit that runs one of these programs (`CONTAINER` for the settings containers need, and every
 * RestrictNamespaces= line for any program here), which is never less than what the rule warns about.
 */

/** Namespace type names, as RestrictNamespaces= spells them. */
export type NamespaceName = 'cgroup' | 'ipc' | 'mnt' | 'net' | 'pid' | 'user' | 'uts' | 'time';

/**
 * Runtimes and managers of containers or machines: they need much of what a sandbox takes away
 * (devices, cgroups, capabilities, namespaces), so suggestions of those settings are held back.
 */
export const CONTAINER =
  /(^|\/)(dockerd|containerd|podman|lxc-start|lxd|systemd-nspawn|crio|runc|crun|buildkitd|libvirtd|virtqemud|incusd|k3s|kubelet)$/;

/**
 * The namespaces each runtime creates for every container it starts, whatever its options: only the
 * mount namespace is certain (an OCI runtime may share the host's network, PID, IPC or UTS namespace
 * when asked to). Programs of CONTAINER that leave containers to another service (kubelet asks
 * containerd) or only sometimes use namespaces (libvirt) are not listed.
 */
const RUNTIMES: ReadonlyMap<string, readonly NamespaceName[]> = new Map<string, readonly NamespaceName[]>([
  ['dockerd', ['mnt']],
  ['containerd', ['mnt']],
  ['podman', ['mnt']],
  ['runc', ['mnt']],
  ['crun', ['mnt']],
  ['crio', ['mnt']],
  ['lxc-start', ['mnt']],
  ['lxd', ['mnt']],
  ['incusd', ['mnt']],
  ['buildkitd', ['mnt']],
  ['k3s', ['mnt']],
]);

/** Every program whose command line may create namespaces (runtimes, machine managers and sandboxers). */
const PROGRAM =
  /(^|\/)(dockerd|containerd|podman|lxc-start|lxd|systemd-nspawn|crio|runc|crun|buildkitd|libvirtd|virtqemud|incusd|k3s|kubelet|unshare|bwrap|firejail)$/;

/** The program's name when it is one that may create namespaces (held back from RestrictNamespaces=). */
export function namespaceProgram(path: string): string | undefined {
  const m = PROGRAM.exec(path);
  return m ? m[2] : undefined;
}

/** What a command line shows it creates: the program, the namespace types, and the words that show it. */
export interface NamespaceUse {
  program: string;
  types: readonly NamespaceName[];
  /** The command as evidence (program name and the options that ask for namespaces). */
  evidence: string;
}

/** unshare(1) options naming a namespace (util-linux): long names and their short letters. */
const UNSHARE_LONG: Readonly<Record<string, NamespaceName>> = {
  mount: 'mnt',
  'mount-proc': 'mnt',
  uts: 'uts',
  ipc: 'ipc',
  net: 'net',
  pid: 'pid',
  user: 'user',
  cgroup: 'cgroup',
  time: 'time',
  'map-root-user': 'user',
  'map-current-user': 'user',
  'map-user': 'user',
  'map-group': 'user',
  'map-users': 'user',
  'map-groups': 'user',
  'map-auto': 'user',
};
const UNSHARE_SHORT: Readonly<Record<string, NamespaceName>> = {
  m: 'mnt',
  u: 'uts',
  i: 'ipc',
  n: 'net',
  p: 'pid',
  U: 'user',
  C: 'cgroup',
  T: 'time',
  r: 'user',
  c: 'user',
};
/** unshare's short options that take the next word as their argument when none is attached. */
const UNSHARE_SHORT_ARG = new Set(['R', 'w', 'S', 'G', 'l']);
/** unshare's long options that take the next word as their argument when no `=` is given. */
const UNSHARE_LONG_ARG = new Set([
  'root',
  'wd',
  'setuid',
  'setgid',
  'propagation',
  'setgroups',
  'monotonic',
  'boottime',
  'map-user',
  'map-group',
  'map-users',
  'map-groups',
  'load-interp',
]);

/**
 * The namespaces unshare's options ask for. Options end at the first word that is not one (unshare
 * parses with a leading `+`) or at `--`; an option we do not know ends the reading too, so an argument
 * of it is never mistaken for an option (reading less can only find fewer namespaces).
 */
function unshareTypes(args: readonly string[]): { types: NamespaceName[]; words: string[] } {
  const types = new Set<NamespaceName>();
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '--' || !w.startsWith('-') || w === '-') break;
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = w.slice(2, eq < 0 ? undefined : eq);
      const t = UNSHARE_LONG[name];
      if (t === undefined && !UNSHARE_LONG_ARG.has(name) && !KNOWN_UNSHARE_FLAGS.has(name)) break;
      if (t !== undefined) {
        types.add(t);
        words.push(w);
      }
      // --mount=FILE and --mount-proc=DIR take their argument attached only; the map options take one either way.
      if (eq < 0 && UNSHARE_LONG_ARG.has(name)) i++;
      continue;
    }
    let stop = false;
    for (let k = 1; k < w.length; k++) {
      const c = w[k]!;
      const t = UNSHARE_SHORT[c];
      if (t !== undefined) types.add(t);
      else if (UNSHARE_SHORT_ARG.has(c)) {
        if (k === w.length - 1) i++;
        break;
      } else if (!'fVh'.includes(c)) {
        stop = true;
        break;
      }
    }
    if (stop) break;
    if ([...w.slice(1)].some((c) => UNSHARE_SHORT[c] !== undefined)) words.push(w);
  }
  return { types: [...types], words };
}
const KNOWN_UNSHARE_FLAGS = new Set(['fork', 'kill-child', 'keep-caps', 'help', 'version']);

/** bwrap(1): a mount namespace always, and the namespaces of its --unshare-… options (the -try ones may do without). */
function bwrapTypes(args: readonly string[]): { types: NamespaceName[]; words: string[] } {
  const types = new Set<NamespaceName>(['mnt']);
  const words: string[] = [];
  const byOption: Record<string, readonly NamespaceName[]> = {
    '--unshare-user': ['user'],
    '--unshare-ipc': ['ipc'],
    '--unshare-pid': ['pid'],
    '--unshare-net': ['net'],
    '--unshare-uts': ['uts'],
    '--unshare-cgroup': ['cgroup'],
    '--unshare-all': ['ipc', 'pid', 'net', 'uts'],
  };
  for (const w of args) {
    if (w === '--') break;
    const t = byOption[w];
    if (t) {
      for (const x of t) types.add(x);
      words.push(w);
    }
  }
  return { types: [...types], words };
}

/** firejail(1): a mount namespace always (its sandbox is built with mounts); --net= adds a network namespace. */
function firejailTypes(args: readonly string[]): { types: NamespaceName[]; words: string[] } {
  const types = new Set<NamespaceName>(['mnt']);
  const words: string[] = [];
  for (const w of args) {
    if (!w.startsWith('-')) break;
    if (w.startsWith('--net=')) {
      types.add('net');
      words.push(w);
    }
  }
  return { types: [...types], words };
}

/** systemd-nspawn: every container gets its own mount, PID, IPC and UTS namespace; -n/--private-network… a network one, -U/--private-users a user one. */
function nspawnTypes(args: readonly string[]): { types: NamespaceName[]; words: string[] } {
  const types = new Set<NamespaceName>(['mnt', 'pid', 'ipc', 'uts']);
  const words: string[] = [];
  for (const w of args) {
    if (w === '--') break;
    if (
      w === '-n' ||
      w === '--private-network' ||
      /^--network-(veth|bridge|zone|interface|macvlan|ipvlan|veth-extra)\b/.test(w)
    ) {
      types.add('net');
      words.push(w);
    } else if (w === '-U' || w === '--private-users' || /^--private-users=(yes|pick|identity|\d)/.test(w)) {
      types.add('user');
      words.push(w);
    }
  }
  return { types: [...types], words };
}

/**
 * The namespaces a command creates, from its program (a path or a name) and its arguments (argv
 * without argv[0]); null when nothing on the line shows one.
 */
export function namespacesCreated(program: string, args: readonly string[]): NamespaceUse | null {
  const name = namespaceProgram(program);
  if (name === undefined) return null;
  let found: { types: readonly NamespaceName[]; words: string[] } | undefined;
  if (name === 'unshare') found = unshareTypes(args);
  else if (name === 'bwrap') found = bwrapTypes(args);
  else if (name === 'firejail') found = firejailTypes(args);
  else if (name === 'systemd-nspawn') found = nspawnTypes(args);
  else {
    const types = RUNTIMES.get(name);
    if (types) found = { types, words: [] };
  }
  if (!found || found.types.length === 0) return null;
  return { program: name, types: found.types, evidence: [name, ...found.words].join(' ') };
}
