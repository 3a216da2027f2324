#!/usr/bin/env node
// gen-directives.mjs — regenerate server/data/directives.json from systemd's own sources.
//
// WHAT IT READS (for every systemd version it is given)
//   - src/core/load-fragment-gperf.gperf.in (Jinja-style, v249+) or .gperf.m4 (m4, up to v248): the table PID 1
//     uses to look up "Section.Key". The EXEC_/KILL_/CGROUP_CONTEXT_CONFIG_ITEMS macros are expanded into every
//     section that includes them, exactly as the build does. Optional features (HAVE_SECCOMP, HAVE_PAM,
//     HAVE_SELINUX, HAVE_APPARMOR, ENABLE_SMACK) are taken as enabled; the disabled branches name the same keys
//     (with config_parse_warn_compat + DISABLED_CONFIGURATION), which the script checks.
//   - src/shared/install.c: the [Install] keys. PID 1's table only lists them with a NULL parser (so that it
//     does not warn about them); their real parsers live in install.c, whose table the script reads for the
//     "parser" field. Presence per version still comes from the gperf table (UpheldBy= appears there in 254).
//   - src/{basic,shared,core,fundamental}/**.c: to follow each parser function to the string table it uses
//     (DEFINE_CONFIG_PARSE_ENUM(…, name, …) -> name_table[]) and to the literals it compares the value with
//     (streq(rvalue, "none") …). That gives the accepted "values" and the version each value first appeared in.
//   - man/*.xml and NEWS of the newest tree: only to date changes that fall between two versions whose sources
//     are not available (see INTERPOLATION).
//
// WHERE THE SOURCES COME FROM
//   Every version reads the reference build named in server/data/assessors.json (versions[V].ref), the same
//   build the check tables come from, so that a key is available exactly when it is in the build users run:
//   239 = v239-50 (RHEL 8.4, with the 242/243 backports), 249 = v249.11, 255 = v255.4, the other git tags
//   as named there, and Debian's trees for 247, 252, 254, 257.
//   - git refs ("source": "systemd-stable"): read from a clone/mirror of systemd/systemd-stable
//       --git /work/.mirror/systemd+systemd-stable/repo        (or env SYSTEMD_GIT; that path is the default)
//   - Debian refs ("source": "debian"): an unpacked source tree whose debian/changelog names that version,
//     found as systemd-<Debian version> under a --sources folder (default /tmp/vocab-src, /tmp/srcpkgs and
//     /work/issue14/srcdeb) or given directly with --tree N=DIR (default 247=/work/issue14/src247/tree).
//     How to get them (see also scripts/gen-syscalls.mjs):
//       cat > /etc/apt/sources.list.d/src.sources <<EOF
//       Types: deb-src
//       URIs: http://deb.debian.org/debian
//       Suites: bullseye bookworm bookworm-backports trixie forky sid
//       Components: main
//       Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
//       EOF
//       apt-get update
//       mkdir -p /tmp/srcpkgs && cd /tmp/srcpkgs
//       apt-get source systemd=247.3-7+deb11u5 systemd=252.39-1~deb12u2 systemd=254.26-1~bpo12+1 \
//                      systemd=257.13-1~deb13u1
//   - kept versions: a Debian ref whose tree is not here but which the committed file already describes and
//     which is newer than every version read (262 = Debian 262-1: its tree is gone and 262.1's source cannot be
//     downloaded here) keeps the committed file's facts for the versions after the newest one read: keys and
//     values present there, their parsers, and the dates the earlier run gave changes between the two
//     (258–261, dated from 262's man pages and NEWS, see INTERPOLATION). The header says which versions were kept.
//   - "source": "none" (258–261): no table; see INTERPOLATION.
//
// USAGE
//   node scripts/gen-directives.mjs [--check] [--git REPO] [--sources DIR]… [--tree N=DIR]… [--from 239]
//        [--date YYYY-MM-DD] [--out server/data/directives.json] [--descriptions scripts/directive-descriptions.tsv]
//   --check: compare the file (--out) with what the sources give, the header's "generated" date and command
//     aside; exit 1 on a difference, 2 when a source is missing (nothing could be checked).
//
// INTERPOLATION
//   Versions between two available ones (258–261 between 257 and 262) have no parser table here. A key or value
//   present on both sides is taken as present in between. A change between the two sides is dated by, in order:
//   the "Added in version" note of the newest man pages (<xi:include href="version-info.xml" xpointer="vNNN"/>
//   in the key's <varlistentry>), the History section of the man pages (deprecations), the first
//   "CHANGES WITH N:" block of NEWS mentioning "Key=" (or "Key=value"), the Condition twin of an Assert key,
//   and otherwise the first version after the older side. Such dates carry "basis" (man|news|twin|guess).
//
// OVERRIDES (small and documented; everything else comes from the tables)
//   - PARSER_KINDS: value kind and list semantics per C parser function (not per directive).
//   - KIND_OVERRIDES: directives whose shared parser does not tell the kind (OnCalendar= is a calendar spec).
//   - REPLACEMENTS: what to use instead of a deprecated key, where the tables cannot tell.
//   - DOCUMENTED_DEPRECATIONS: keys still parsed as before but deprecated by the documentation and NEWS
//     (PermissionsStartOnly=, NEWS of 240), with the way to do without them.
//   - descriptions: scripts/directive-descriptions.tsv, one hand-written line per directive.
//
// The script has no dependencies beyond Node ≥ 20 and git.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..');
const TABLE_IN = 'src/core/load-fragment-gperf.gperf.in';
const TABLE_M4 = 'src/core/load-fragment-gperf.gperf.m4';
const INSTALL_C = 'src/shared/install.c';
const C_DIRS = ['src/basic', 'src/shared', 'src/core', 'src/fundamental'];
const FEATURES = ['HAVE_SECCOMP', 'HAVE_PAM', 'HAVE_SELINUX', 'HAVE_APPARMOR', 'ENABLE_SMACK'];
const SECTION_ORDER = [
  'Unit',
  'Service',
  'Socket',
  'Mount',
  'Automount',
  'Swap',
  'Timer',
  'Path',
  'Slice',
  'Scope',
  'Install',
];
/** Man pages that document unit-file settings (the newest tree's man/ is read for dating only). */
const MAN_PAGES = [
  'unit',
  'service',
  'socket',
  'mount',
  'automount',
  'swap',
  'timer',
  'path',
  'slice',
  'scope',
  'exec',
  'resource-control',
  'kill',
].map((p) => `systemd.${p}.xml`);

// ---------------------------------------------------------------------------------------------------------------
// Overrides
// ---------------------------------------------------------------------------------------------------------------

/**
 * Value kind and list semantics of each parser function. list = a repeated assignment adds to the earlier ones
 * (and, for systemd's list settings, an empty assignment resets the list); false = the last assignment wins.
 * Parsers not listed fall back to a heuristic on the C body and are reported on stderr.
 */
const PARSER_KINDS = {
  config_parse_address_families: ['address-family-list', true],
  config_parse_allowed_cpus: ['cpu-set', true],
  config_parse_allowed_cpuset: ['cpu-set', true],
  config_parse_allowed_mems: ['cpu-set', true],
  config_parse_alias: ['unit-list', true],
  config_parse_also: ['unit-list', true],
  config_parse_bind_network_interface: ['string', false],
  config_parse_bind_paths: ['path-list', true],
  config_parse_blockio_bandwidth: ['device-limit', true],
  config_parse_blockio_device_weight: ['device-limit', true],
  config_parse_blockio_weight: ['weight', false],
  config_parse_bool: ['boolean', false],
  config_parse_bpf_delegate_attachments: ['list-of-strings', true],
  config_parse_bpf_delegate_commands: ['list-of-strings', true],
  config_parse_bpf_delegate_maps: ['list-of-strings', true],
  config_parse_bpf_delegate_programs: ['list-of-strings', true],
  config_parse_bpf_foreign_program: ['list-of-strings', true],
  config_parse_bus_name: ['string', false],
  config_parse_capability_set: ['capability-list', true],
  config_parse_cg_cpu_weight: ['weight', false],
  config_parse_cg_weight: ['weight', false],
  config_parse_cgroup_nft_set: ['list-of-strings', true],
  config_parse_cgroup_socket_bind: ['list-of-strings', true],
  config_parse_collect_mode: ['enum', false],
  config_parse_colon_separated_paths: ['path-list', true],
  config_parse_concurrency_max: ['integer', false],
  config_parse_cpu_quota: ['percent', false],
  config_parse_cpu_shares: ['weight', false],
  config_parse_cpuset_partition: ['enum', false],
  config_parse_default_instance: ['string', false],
  config_parse_delegate: ['list-of-strings', true, 'enum-values'],
  config_parse_delegate_subgroup: ['string', false],
  config_parse_device_allow: ['device-allow', true],
  config_parse_device_policy: ['enum', false],
  config_parse_disable_controllers: ['list-of-strings', true, 'enum-values'],
  config_parse_documentation: ['list-of-strings', true],
  config_parse_emergency_action: ['enum', false],
  config_parse_environ: ['environment', true],
  config_parse_exec: ['exec-command', true],
  config_parse_exec_apparmor_profile: ['string', false],
  config_parse_exec_coredump_filter: ['list-of-strings', true, 'enum-values'],
  config_parse_exec_cpu_affinity: ['cpu-set', true],
  config_parse_exec_cpu_sched_policy: ['enum', false],
  config_parse_exec_cpu_sched_prio: ['integer', false],
  config_parse_exec_directories: ['path-list', true],
  config_parse_exec_input: ['enum', false],
  config_parse_exec_input_data: ['string', true],
  config_parse_exec_input_text: ['string', true],
  config_parse_exec_io_class: ['enum', false],
  config_parse_exec_io_priority: ['ioprio', false],
  config_parse_exec_keyring_mode: ['enum', false],
  config_parse_exec_memory_thp: ['enum', false],
  config_parse_exec_mount_apivfs: ['boolean', false],
  config_parse_exec_mount_flags: ['enum', false],
  config_parse_exec_mount_propagation_flag: ['enum', false],
  config_parse_exec_nice: ['nice', false],
  config_parse_exec_oom_score_adjust: ['integer', false],
  config_parse_exec_output: ['enum', false],
  config_parse_exec_preserve_mode: ['enum', false],
  config_parse_exec_quota: ['bytes', false],
  config_parse_exec_root_hash: ['string', false],
  config_parse_exec_root_hash_sig: ['string', false],
  config_parse_exec_secure_bits: ['list-of-strings', true],
  config_parse_exec_selinux_context: ['string', false],
  config_parse_exec_smack_process_label: ['string', false],
  config_parse_exec_utmp_mode: ['enum', false],
  config_parse_exit_status: ['integer', false],
  config_parse_extension_images: ['path-list', true],
  config_parse_fdname: ['string', false],
  config_parse_iec_size: ['bytes', false],
  config_parse_iec_size_long: ['bytes', false],
  config_parse_image_policy: ['string', false],
  config_parse_import_credential: ['credential', true],
  config_parse_in_addr_prefixes: ['ip-address-list', true],
  config_parse_int: ['integer', false],
  config_parse_io_device_latency: ['device-limit', true],
  config_parse_io_device_weight: ['device-limit', true],
  config_parse_io_limit: ['device-limit', true],
  config_parse_ip_address_access: ['ip-address-list', true],
  config_parse_ip_filter_bpf_progs: ['path-list', true],
  config_parse_ip_tos: ['enum', false],
  config_parse_job_mode: ['enum', false],
  config_parse_job_mode_isolate: ['boolean', false],
  config_parse_job_running_timeout_sec: ['timespan', false],
  config_parse_job_timeout_sec: ['timespan', false],
  config_parse_kill_mode: ['enum', false],
  config_parse_load_credential: ['credential', true],
  config_parse_log_extra_fields: ['list-of-strings', true],
  config_parse_log_facility: ['enum', false],
  config_parse_log_filter_patterns: ['list-of-strings', true],
  config_parse_log_level: ['enum', false],
  config_parse_log_namespace: ['string', false],
  config_parse_long: ['integer', false],
  config_parse_luo_sessions: ['list-of-strings', true],
  config_parse_managed_oom_mem_pressure_duration_sec: ['timespan', false],
  config_parse_managed_oom_mem_pressure_limit: ['percent', false],
  config_parse_managed_oom_mode: ['enum', false],
  config_parse_managed_oom_preference: ['enum', false],
  config_parse_managed_oom_rules: ['list-of-strings', true],
  config_parse_memory_limit: ['bytes', false],
  config_parse_memory_pressure_watch: ['enum', false],
  config_parse_mode: ['mode', false],
  config_parse_mount_images: ['path-list', true],
  config_parse_mount_node: ['string', false],
  config_parse_namespace_flags: ['namespace-list', true],
  config_parse_namespace_path_strv: ['path-list', true],
  config_parse_notify_access: ['enum', false],
  config_parse_nsec: ['timespan', false],
  config_parse_numa_mask: ['cpu-set', false],
  config_parse_numa_policy: ['enum', false],
  config_parse_obsolete_unit_deps: ['unit-list', true],
  config_parse_oom_policy: ['enum', false],
  config_parse_open_file: ['list-of-strings', true],
  config_parse_pass_environ: ['list-of-strings', true],
  config_parse_path_spec: ['path', true],
  config_parse_personality: ['enum', false],
  config_parse_pid_file: ['path', false],
  config_parse_pressure_watch: ['enum', false],
  config_parse_private_bpf: ['enum', false],
  config_parse_private_pids: ['enum', false],
  config_parse_private_tmp: ['enum', false],
  config_parse_private_users: ['enum', false],
  config_parse_proc_subset: ['enum', false],
  config_parse_protect_control_groups: ['enum', false],
  config_parse_protect_home: ['enum', false],
  config_parse_protect_hostname: ['enum', false],
  config_parse_protect_proc: ['enum', false],
  config_parse_protect_system: ['enum', false],
  config_parse_reboot_parameter: ['string', false],
  config_parse_restrict_filesystems: ['list-of-strings', true],
  config_parse_restrict_namespaces: ['namespace-list', true],
  config_parse_restrict_network_interfaces: ['list-of-strings', true],
  config_parse_rlimit: ['limit', false],
  config_parse_root_image_options: ['list-of-strings', true],
  config_parse_runtime_preserve_mode: ['enum', false],
  config_parse_sec: ['timespan', false],
  config_parse_sec_def_infinity: ['timespan', false],
  config_parse_sec_fix_0: ['timespan', false],
  config_parse_service_exit_type: ['enum', false],
  config_parse_service_refresh_on_reload: ['list-of-strings', true, 'enum-values'],
  config_parse_service_restart: ['enum', false],
  config_parse_service_restart_mode: ['enum', false],
  config_parse_service_sockets: ['unit-list', true],
  config_parse_service_timeout: ['timespan', false],
  config_parse_service_timeout_abort: ['timespan', false],
  config_parse_service_timeout_failure_mode: ['enum', false],
  config_parse_service_type: ['enum', false],
  config_parse_set_credential: ['credential', true],
  config_parse_set_status: ['list-of-strings', true],
  config_parse_signal: ['signal', false],
  config_parse_socket_bind: ['enum', false],
  config_parse_socket_bindtodevice: ['string', false],
  config_parse_socket_defer_trigger: ['enum', false],
  config_parse_socket_listen: ['string', true],
  config_parse_socket_protocol: ['string', false],
  config_parse_socket_service: ['unit', false],
  config_parse_socket_timestamping: ['enum', false],
  config_parse_string: ['string', false],
  config_parse_strv: ['unit-list', true], // only [Install]'s WantedBy=/RequiredBy=/UpheldBy= use it here
  config_parse_swap_priority: ['integer', false],
  config_parse_syscall_archs: ['list-of-strings', true],
  config_parse_syscall_errno: ['string', false],
  config_parse_syscall_filter: ['syscall-filter', true],
  config_parse_syscall_log: ['syscall-filter', true],
  config_parse_tasks_max: ['integer', false],
  config_parse_temporary_filesystems: ['path-list', true],
  config_parse_timer: ['timespan', true],
  config_parse_trigger_unit: ['unit', false],
  config_parse_tristate: ['tristate', false],
  config_parse_tty_size: ['integer', false],
  config_parse_unit_condition_null: ['boolean', false],
  config_parse_unit_condition_path: ['condition', true],
  config_parse_unit_condition_string: ['condition', true],
  config_parse_unit_cpu_set: ['cpu-set', true],
  config_parse_unit_deps: ['unit-list', true],
  config_parse_unit_env_file: ['path-list', true],
  config_parse_unit_mounts_for: ['path-list', true],
  config_parse_unit_path_printf: ['path', false],
  config_parse_unit_path_strv_printf: ['path-list', true],
  config_parse_unit_requires_mounts_for: ['path-list', true],
  config_parse_unit_slice: ['unit', false],
  config_parse_unit_string_printf: ['string', false],
  config_parse_unset_environ: ['list-of-strings', true],
  config_parse_unsigned: ['integer', false],
  config_parse_user_group: ['user', false],
  config_parse_user_group_compat: ['user', false],
  config_parse_user_group_strv: ['group-list', true],
  config_parse_user_group_strv_compat: ['group-list', true],
  config_parse_working_directory: ['path', false],
  config_parse_warn_compat: ['other', false], // only for keys that were never parsed in any version read
  config_parse_xattr: ['list-of-strings', true],
};
const ENUM_KINDS = new Set(['enum']);
/** Directives whose shared parser does not tell the kind of value. */
const KIND_OVERRIDES = { OnCalendar: 'calendar' };
/** Replacement for deprecated keys where no alias relation in the tables says it. */
const REPLACEMENTS = {
  CPUShares: 'CPUWeight',
  StartupCPUShares: 'StartupCPUWeight',
  MemoryLimit: 'MemoryMax',
  BlockIOAccounting: 'IOAccounting',
  BlockIOWeight: 'IOWeight',
  StartupBlockIOWeight: 'StartupIOWeight',
  BlockIODeviceWeight: 'IODeviceWeight',
  BlockIOReadBandwidth: 'IOReadBandwidthMax',
  BlockIOWriteBandwidth: 'IOWriteBandwidthMax',
  Capabilities: 'AmbientCapabilities',
  RequiresOverridable: 'Requires',
  RequisiteOverridable: 'Requisite',
  ManagedOOMMemoryPressureLimitPercent: 'ManagedOOMMemoryPressureLimit',
};
/**
 * Keys that PID 1 still parses as before but that systemd's documentation and NEWS call deprecated, with what to
 * do instead (free text, since it is not a key). The table cannot tell these.
 */
const DOCUMENTED_DEPRECATIONS = {
  // NEWS of 240: "The PermissionsStartOnly= setting is deprecated (but is still supported for backwards
  // compatibility). The same functionality is provided by the more flexible "+", "!" and "!!" prefixes".
  PermissionsStartOnly: {
    since: 240,
    how: 'still accepted',
    advice: 'the + prefix on the commands that need full privileges (ExecStartPre=+/usr/bin/…)',
  },
};
/** Helper functions never followed when collecting literal values (they would add generic words). */
const SKIP_HELPERS = new Set([
  'parse_boolean',
  'parse_tristate',
  'log_syntax',
  'isempty',
  'strdup',
  'startswith',
  'endswith',
  'streq',
  'extract_first_word',
  'unit_full_printf',
  'unit_path_printf',
  'path_simplify_and_warn',
  'strv_split',
  'free_and_strdup',
]);

// ---------------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = {
    git: process.env.SYSTEMD_GIT ?? '/work/.mirror/systemd+systemd-stable/repo',
    trees: new Map([[247, '/work/issue14/src247/tree']]),
    sources: [],
    check: false,
    from: 239,
    out: path.join(REPO_ROOT, 'server/data/directives.json'),
    descriptions: path.join(HERE, 'directive-descriptions.tsv'),
    date: new Date().toISOString().slice(0, 10),
  };
  for (const spec of (process.env.SYSTEMD_TREES ?? '').split(',').filter(Boolean)) addTree(o, spec);
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--git') o.git = val();
    else if (a === '--tree') addTree(o, val());
    else if (a === '--sources') o.sources.push(path.resolve(val()));
    else if (a === '--check') o.check = true;
    else if (a === '--from') o.from = Number(val());
    else if (a === '--out') o.out = path.resolve(val());
    else if (a === '--descriptions') o.descriptions = path.resolve(val());
    else if (a === '--date') o.date = val();
    else if (a === '-h' || a === '--help') {
      printHelp();
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (o.sources.length === 0) o.sources.push('/tmp/vocab-src', '/tmp/srcpkgs', '/work/issue14/srcdeb');
  return o;
}
function printHelp() {
  const lines = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  console.log(
    lines
      .slice(1)
      .filter((l, i, a) => a.slice(0, i + 1).every((x) => x.startsWith('//')))
      .map((l) => l.replace(/^\/\/ ?/, ''))
      .join('\n'),
  );
}
function addTree(o, spec) {
  const m = /^(\d+)=(.+)$/.exec(spec);
  if (!m) throw new Error(`--tree wants N=DIR, got ${spec}`);
  o.trees.set(Number(m[1]), path.resolve(m[2]));
}

// ---------------------------------------------------------------------------------------------------------------
// Sources: a git tag or an unpacked tree, both offering read(path) and cSources()
// ---------------------------------------------------------------------------------------------------------------

function git(repo, args, input) {
  const r = spawnSync('git', ['-C', repo, ...args], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Read many blobs in one `git cat-file --batch` run. Returns Map path -> text (missing paths are absent). */
function gitReadMany(repo, tag, paths) {
  const out = git(repo, ['cat-file', '--batch'], paths.map((p) => `${tag}:${p}`).join('\n') + '\n');
  const res = new Map();
  let pos = 0;
  for (const p of paths) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString();
    pos = nl + 1;
    if (header.endsWith(' missing')) continue;
    const size = Number(header.split(' ')[2]);
    res.set(p, out.subarray(pos, pos + size).toString('utf8'));
    pos += size + 1;
  }
  return res;
}

function gitSource(repo, tag) {
  const cache = new Map();
  return {
    ref: tag,
    read(p) {
      if (!cache.has(p)) cache.set(p, gitReadMany(repo, tag, [p]).get(p) ?? null);
      return cache.get(p);
    },
    cSources() {
      const files = git(repo, ['ls-tree', '-r', '--name-only', tag, '--', ...C_DIRS])
        .toString()
        .split('\n')
        .filter((f) => f.endsWith('.c'));
      return [...gitReadMany(repo, tag, files).values()];
    },
  };
}

function treeSource(dir) {
  const walk = (d, acc) => {
    if (!fs.existsSync(d)) return acc;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, acc);
      else if (e.name.endsWith('.c')) acc.push(fs.readFileSync(p, 'utf8'));
    }
    return acc;
  };
  return {
    ref: path.basename(dir),
    dir,
    read(p) {
      const f = path.join(dir, p);
      return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null;
    },
    cSources() {
      return C_DIRS.flatMap((d) => walk(path.join(dir, d), []));
    },
  };
}

/**
 * The reference build of every version >= from, from server/data/assessors.json (versions[V].ref):
 * Map version -> {tag} | {debian} | {none}.
 */
function referenceBuilds(from) {
  const file = path.join(REPO_ROOT, 'server/data/assessors.json');
  const refs = new Map();
  for (const [v, info] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')).versions)) {
    if (Number(v) < from) continue;
    const r = info.ref;
    if (r.source === 'systemd-stable') refs.set(Number(v), { tag: r.tag });
    else if (r.source === 'debian') refs.set(Number(v), { debian: r.package });
    else refs.set(Number(v), { none: true });
  }
  return new Map([...refs].sort(([x], [y]) => x - y));
}

/** The unpacked tree of Debian's systemd <version>: one whose debian/changelog starts with that version. */
function debianTree(o, v, version) {
  const candidates = [
    ...(o.trees.has(v) ? [o.trees.get(v)] : []),
    ...o.sources.map((r) => path.join(r, `systemd-${version}`)),
  ];
  for (const dir of candidates) {
    const changelog = path.join(dir, 'debian', 'changelog');
    if (!fs.existsSync(changelog)) continue;
    if (fs.readFileSync(changelog, 'utf8').startsWith(`systemd (${version})`)) return { dir };
  }
  return { missing: `no Debian systemd ${version} tree (looked in ${candidates.join(', ')})` };
}

// ---------------------------------------------------------------------------------------------------------------
// Expanding the gperf table
// ---------------------------------------------------------------------------------------------------------------

/** A small m4 evaluator covering what load-fragment-gperf.gperf.m4 uses: m4_dnl, m4_define, m4_ifdef, $1. */
function expandM4(text, flags) {
  const macros = new Map();
  const quoted = (s, j) => {
    // s[j] === '`'; m4 quotes nest
    let depth = 0;
    for (let k = j; k < s.length; k++) {
      if (s[k] === '`') depth++;
      else if (s[k] === "'" && --depth === 0) return [s.slice(j + 1, k), k + 1];
    }
    throw new Error('m4: unterminated quote');
  };
  // Like m4: leading unquoted whitespace of an argument is dropped, everything else up to the next top-level
  // ',' or ')' is kept (so a newline between a quoted macro body and the closing ')' belongs to the body).
  const args = (s, j) => {
    // s[j] === '('
    const list = [];
    let k = j + 1;
    for (;;) {
      while (/\s/.test(s[k])) k++;
      let v = '';
      for (let depth = 0; ;) {
        if (k >= s.length) throw new Error('m4: unterminated argument list');
        if (s[k] === '`') {
          const [q, next] = quoted(s, k);
          v += q;
          k = next;
          continue;
        }
        if (depth === 0 && (s[k] === ',' || s[k] === ')')) break;
        if (s[k] === '(') depth++;
        else if (s[k] === ')') depth--;
        v += s[k++];
      }
      list.push(v);
      if (s[k++] === ')') return [list, k];
    }
  };
  const run = (s) => {
    let res = '';
    for (let j = 0; j < s.length;) {
      const rest = s.slice(j, j + 200);
      let m;
      if ((m = /^m4_dnl[^\n]*\n?/.exec(rest))) {
        j += m[0].length;
        continue;
      }
      if ((m = /^m4_define\(/.exec(rest))) {
        const [a, k] = args(s, j + m[0].length - 1);
        macros.set(a[0], a[1]);
        j = k;
        continue;
      }
      if ((m = /^m4_ifdef\(/.exec(rest))) {
        const [a, k] = args(s, j + m[0].length - 1);
        res += run(flags[a[0]] ? a[1] : (a[2] ?? ''));
        j = k;
        continue;
      }
      if ((m = /^[A-Za-z_]\w*/.exec(rest))) {
        if (macros.has(m[0]) && s[j + m[0].length] === '(') {
          const [a, k] = args(s, j + m[0].length);
          res += run(macros.get(m[0]).replace(/\$(\d)/g, (_, n) => a[Number(n) - 1] ?? ''));
          j = k;
        } else {
          res += m[0];
          j += m[0].length;
        }
        continue;
      }
      res += s[j++];
    }
    return res;
  };
  return run(text);
}

/** The Jinja subset used by load-fragment-gperf.gperf.in: {# #}, macro/endmacro, if/else/endif, {{ M('X') }}. */
function expandJinja(text, flags) {
  text = text.replace(/\{#[\s\S]*?#\}/g, '');
  const macros = new Map();
  text = text.replace(
    /\{%-?\s*macro\s+(\w+)\((\w+)\)\s*-?%\}([\s\S]*?)\{%-?\s*endmacro\s*-?%\}/g,
    (_, name, param, body) => {
      macros.set(name, { param, body });
      return '';
    },
  );
  text = text.replace(/\{\{\s*(\w+)\('(\w+)'\)\s*\}\}/g, (_, name, arg) => {
    const mac = macros.get(name);
    if (!mac) throw new Error(`jinja: unknown macro ${name}`);
    return mac.body.replace(new RegExp(`\\{\\{\\s*${mac.param}\\s*\\}\\}`, 'g'), arg);
  });
  // innermost if/else/endif first (the files have no elif and no nesting today, but be safe)
  const re =
    /\{%-?\s*if\s+(\w+)\s*-?%\}((?:(?!\{%-?\s*if\b)[\s\S])*?)(?:\{%-?\s*else\s*-?%\}((?:(?!\{%-?\s*if\b)[\s\S])*?))?\{%-?\s*endif\s*-?%\}/;
  for (let m; (m = re.exec(text));)
    text = text.slice(0, m.index) + (flags[m[1]] ? m[2] : (m[3] ?? '')) + text.slice(m.index + m[0].length);
  const left = /\{[{%][^\n]*/.exec(text);
  if (left) throw new Error(`jinja: unexpanded construct ${left[0]}`);
  return text;
}

/**
 * Rows of the expanded table: {section, key, parser, ltype, offset}. `keysOnly`: for the branches of features
 * taken as disabled, which are read only for their keys and which the build of the reference may never have
 * compiled (v239-50's `DISABLED_CONFIGURATION         0` lacks a comma): a row there needs only its key.
 */
function tableRows(text, flags, keysOnly = false) {
  const expanded = /m4_define/.test(text) ? expandM4(text, flags) : expandJinja(text, flags);
  const body = expanded.slice(expanded.indexOf('\n%%\n') + 4);
  const rows = [];
  for (const line of body.split('\n')) {
    if (!line.trim()) continue;
    const m = /^([A-Za-z]+)\.([A-Za-z0-9]+)\s*,\s*(\w+)\s*,\s*([^,]+?)\s*,\s*(.+?)\s*$/.exec(line.trim());
    if (!m) {
      const k = keysOnly ? /^([A-Za-z]+)\.([A-Za-z0-9]+)\s*,/.exec(line.trim()) : null;
      if (!k) throw new Error(`unparsable table row: ${line}`);
      rows.push({ section: k[1], key: k[2], parser: '', ltype: '', offset: '' });
      continue;
    }
    rows.push({ section: m[1], key: m[2], parser: m[3], ltype: m[4], offset: m[5] });
  }
  return rows;
}

function readTable(src) {
  const text = src.read(TABLE_IN) ?? src.read(TABLE_M4);
  if (!text) throw new Error(`${src.ref}: no ${TABLE_IN} / ${TABLE_M4}`);
  const on = Object.fromEntries(FEATURES.map((f) => [f, true]));
  const off = Object.fromEntries(FEATURES.map((f) => [f, false]));
  const rows = tableRows(text, on);
  const keysOff = new Set(tableRows(text, off, true).map((r) => `${r.section}.${r.key}`));
  const keysOn = new Set(rows.map((r) => `${r.section}.${r.key}`));
  const differ = [...keysOn].filter((k) => !keysOff.has(k)).concat([...keysOff].filter((k) => !keysOn.has(k)));
  if (differ.length) warn(`${src.ref}: keys depend on build features: ${differ.join(' ')}`);
  return { rows, file: src.read(TABLE_IN) ? TABLE_IN : TABLE_M4 };
}

/** install.c's own table: { "Install", "WantedBy", config_parse_strv, … }. */
function installParsers(src) {
  const text = src.read(INSTALL_C) ?? '';
  const res = new Map();
  for (const m of text.matchAll(/\{\s*"Install"\s*,\s*"(\w+)"\s*,\s*(\w+)\s*,/g)) res.set(m[1], m[2]);
  return res;
}

// ---------------------------------------------------------------------------------------------------------------
// Following parser functions into the C sources (accepted values)
// ---------------------------------------------------------------------------------------------------------------

function cIndex(src) {
  // drop comments, keeping string and character literals intact (they may contain "//" or "/*")
  const text = src
    .cSources()
    .join('\n')
    .replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m, lit) => lit ?? ' ');
  const tables = new Map();
  // `const char *const x_table[]`, or `const char *x_table[]` (cgroup_controller_table up to v241)
  for (const m of text.matchAll(
    /static\s+const\s+char\s*\*\s*(?:const\s+)?(\w+)_table\s*\[[^\]]*\]\s*=\s*\{([\s\S]*?)\};/g,
  )) {
    tables.set(
      m[1],
      [...m[2].matchAll(/\]\s*=\s*"([^"]*)"/g)].map((x) => x[1]),
    );
  }
  const withBoolean = new Set(
    [...text.matchAll(/DEFINE_\w*STRING_TABLE_LOOKUP\w*_WITH_BOOLEAN\(\s*(\w+)/g)].map((m) => m[1]),
  );
  const macros = new Map();
  for (const m of text.matchAll(/DEFINE_CONFIG_PARSE(_ENUM(?:_WITH_DEFAULT|_FULL)?|_PTR)?\(\s*(\w+)\s*,\s*(\w+)/g)) {
    const conv = m[1] && m[1].startsWith('_ENUM') && !m[1].endsWith('_FULL') ? `${m[3]}_from_string` : m[3];
    macros.set(m[2], conv);
  }
  const funcs = new Map();
  for (const m of text.matchAll(/^[A-Za-z_][\w \t*]*?\b(\w+)\s*\(([^;{}()]*(?:\([^()]*\)[^;{}()]*)*)\)\s*\{/gm)) {
    if (funcs.has(m[1])) continue;
    funcs.set(m[1], { start: m.index, params: m[2], bodyStart: m.index + m[0].length });
  }
  const body = (name) => {
    const f = funcs.get(name);
    if (!f) return null;
    let i = f.bodyStart;
    for (let depth = 1; depth && i < text.length;) {
      const c = text[i++];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '"' || c === "'") {
        while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
        i++;
      }
    }
    return { text: text.slice(f.bodyStart, i), params: f.params };
  };
  return { tables, withBoolean, macros, body };
}

/**
 * Values a parser accepts, as far as the source tells: the entries of the string table an enum parser looks up
 * (only when enumValues), plus literals compared with the value (streq(rvalue, "none"), STR_IN_SET(rvalue, …)),
 * following helpers that take the value as first argument.
 */
function parserValues(idx, parser, enumValues) {
  const fromTable = (base) => {
    const vals = [...idx.tables.get(base)];
    if (idx.withBoolean.has(base)) for (const b of ['yes', 'no']) if (!vals.includes(b)) vals.push(b);
    return vals;
  };
  const ofFunction = (fn, depth) => {
    const t = /^(\w+)_from_string$/.exec(fn);
    if (t && idx.tables.has(t[1])) return enumValues ? fromTable(t[1]) : [];
    if (depth > 3 || !/parse|from_string|_or_bool/.test(fn)) return [];
    const b = idx.body(fn);
    if (!b) return [];
    const first = /(\w+)\s*$/.exec(b.params.split(',')[0].trim())?.[1];
    return first ? inBody(b.text, first, depth + 1) : [];
  };
  const inBody = (text, v, depth) => {
    const out = [];
    for (const m of text.matchAll(new RegExp(`\\bstreq\\(\\s*${v}\\s*,\\s*"([^"]*)"\\s*\\)`, 'g'))) out.push(m[1]);
    for (const m of text.matchAll(new RegExp(`\\bSTR_IN_SET\\(\\s*${v}\\s*,([^)]*)\\)`, 'g')))
      for (const s of m[1].matchAll(/"([^"]*)"/g)) out.push(s[1]);
    for (const m of text.matchAll(new RegExp(`\\b(\\w+)\\s*\\(\\s*${v}\\s*[,)]`, 'g')))
      if (!SKIP_HELPERS.has(m[1])) out.push(...ofFunction(m[1], depth));
    if (depth === 0) {
      // the parser itself may hand a trimmed copy of the value (not the key name) to an enum lookup
      for (const m of text.matchAll(/\b(\w+_from_string)\s*\(\s*(?!lvalue\b)[^,)]*\)/g))
        out.push(...ofFunction(m[1], depth));
    }
    return out;
  };
  let vals;
  let prefixes = [];
  if (idx.macros.has(parser)) vals = ofFunction(idx.macros.get(parser), 0);
  else {
    const b = idx.body(parser);
    vals = b ? inBody(b.text, 'rvalue', 0) : [];
    // "file:PATH"-style forms: a table word that the parser only takes as a prefix is listed as "file:"
    if (b) prefixes = [...b.text.matchAll(/\bstartswith\(\s*rvalue\s*,\s*"(\w[\w-]*):"\s*\)/g)].map((m) => m[1]);
  }
  vals = vals.map((v) => (prefixes.includes(v) ? `${v}:` : v));
  for (const p of prefixes) if (enumValues && !vals.includes(`${p}:`)) vals.push(`${p}:`);
  // numbers compared with are implementation details (e.g. "0" meaning "no timeout" in old versions)
  return [...new Set(vals)].filter((v) => v !== '' && !/^\d+$/.test(v));
}

// ---------------------------------------------------------------------------------------------------------------
// Newest man pages and NEWS: dating changes that fall into versions without sources
// ---------------------------------------------------------------------------------------------------------------

function manVersions(src) {
  const added = new Map(); // key -> version from "Added in version"
  const documented = new Set(); // every key with its own <varlistentry>
  const history = []; // {version, text} from <refsect1><title>History</title>
  for (const page of MAN_PAGES) {
    const xml = src.read(`man/${page}`);
    if (!xml) continue;
    const stack = [];
    for (const m of xml.matchAll(/<varlistentry\b|<\/varlistentry>|<term>([\s\S]*?)<\/term>|xpointer="v(\d+)"/g)) {
      if (m[0] === '<varlistentry') stack.push({ keys: [], version: null });
      else if (m[0] === '</varlistentry>') {
        const e = stack.pop();
        if (e?.version) for (const k of e.keys) if (!added.has(k)) added.set(k, e.version);
      } else if (m[1] !== undefined && stack.length) {
        for (const v of m[1].matchAll(/<varname>(\w+)=/g)) {
          stack.at(-1).keys.push(v[1]);
          documented.add(v[1]);
        }
      } else if (m[2] && stack.length && !stack.at(-1).version) stack.at(-1).version = Number(m[2]);
    }
    const hist = /<title>History<\/title>([\s\S]*?)<\/refsect1>/.exec(xml);
    if (hist) {
      for (const e of hist[1].matchAll(/<term>systemd (\d+)<\/term>([\s\S]*?)<\/varlistentry>/g))
        history.push({ version: Number(e[1]), text: e[2] });
    }
  }
  return { added, documented, history };
}

function newsSections(src) {
  const text = src.read('NEWS') ?? '';
  const res = new Map();
  const parts = text.split(/^CHANGES WITH (\d+)(?:~rc\d*)?:\s*$/m);
  for (let i = 1; i < parts.length; i += 2) res.set(Number(parts[i]), parts[i + 1]);
  return res;
}

// ---------------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------------

function warn(msg) {
  process.stderr.write(`gen-directives: ${msg}\n`);
}

function main() {
  const opt = parseArgs(process.argv);
  const committed = fs.existsSync(opt.out) ? JSON.parse(fs.readFileSync(opt.out, 'utf8')) : null;
  const committedVersions = new Set((committed?.header.versions ?? []).map((r) => r.version));
  const sources = new Map(); // version -> {src, record (what goes into source.versions)}
  const kept = []; // versions whose facts come from the committed file
  const missingSources = [];
  for (const [v, ref] of referenceBuilds(opt.from)) {
    if (ref.tag) {
      sources.set(v, {
        src: gitSource(opt.git, ref.tag),
        record: { version: v, ref: ref.tag, from: 'git tag of systemd/systemd-stable' },
      });
    } else if (ref.debian) {
      const tree = debianTree(opt, v, ref.debian);
      if (tree.dir)
        sources.set(v, {
          src: treeSource(tree.dir),
          record: { version: v, ref: ref.debian, from: `Debian source package systemd_${ref.debian} (unpacked tree)` },
        });
      else if (committedVersions.has(v)) kept.push(v);
      else missingSources.push(`${v}: ${tree.missing}`);
    }
  }
  if (missingSources.length) {
    process.stderr.write(
      `gen-directives: missing sources (nothing written or checked):\n  ${missingSources.join('\n  ')}\n`,
    );
    process.exit(2);
  }
  const available = [...sources.keys()].sort((a, b) => a - b);
  const newest = available.at(-1);
  const versions = [];
  for (let v = available[0]; v <= newest; v++) versions.push(v);
  if (kept.some((v) => v < newest))
    throw new Error(`kept versions must be newer than every version read: ${kept.join(', ')} (newest read: ${newest})`);
  const prevAvailable = (v) => available.filter((a) => a < v).at(-1);

  // ---- per-version facts ---------------------------------------------------------------------------------------
  const perVersion = new Map(); // v -> {rows: Map "Section.Key" -> row, install: Map, idx}
  for (const v of available) {
    const { src } = sources.get(v);
    process.stderr.write(`gen-directives: reading ${v} (${src.ref})\n`);
    const { rows, file } = readTable(src);
    sources.get(v).record.table = file;
    const map = new Map();
    for (const r of rows) {
      const k = `${r.section}.${r.key}`;
      if (map.has(k)) warn(`${v}: duplicate table entry ${k}`);
      map.set(k, r);
    }
    perVersion.set(v, { rows: map, install: installParsers(src), idx: cIndex(src) });
  }
  const newestSrc = sources.get(newest).src;
  const man = manVersions(newestSrc);
  const news = newsSections(newestSrc);

  /** Date a change that happened after `lower` and at or before `upper` (both available versions). */
  const dateChange = (lower, upper, { key, value = null, deprecation = false }) => {
    if (upper - lower === 1) return { version: upper };
    const inGap = (n) => n > lower && n <= upper;
    if (value === null && !deprecation) {
      const added = man.added.get(key);
      if (added && inGap(added)) return { version: added, basis: 'man' };
      const twin = /^Assert(\w+)$/.exec(key);
      const twinAdded = twin ? man.added.get(`Condition${twin[1]}`) : undefined;
      if (twinAdded && inGap(twinAdded)) return { version: twinAdded, basis: 'twin' };
    }
    if (deprecation) {
      const h = man.history
        .filter((e) => inGap(e.version) && new RegExp(`<varname>${key}=`).test(e.text))
        .map((e) => e.version);
      if (h.length) return { version: Math.min(...h), basis: 'man' };
    }
    const esc = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const keyRe = new RegExp(`(^|[^\\w])${key}=`);
    const valRe =
      value === null ? null : new RegExp(`(^|[^\\w])${key}=${esc(value)}([^\\w-]|$)|["']${esc(value)}["']`, 'm');
    // a NEWS bullet ("* …") that names Key= (and, for a value, Key=value or the quoted value)
    const mentions = (text) => text.split(/\n\s*\*\s/).some((b) => keyRe.test(b) && (!valRe || valRe.test(b)));
    const hits = [...news].filter(([n, text]) => inGap(n) && mentions(text)).map(([n]) => n);
    if (hits.length) return { version: Math.min(...hits), basis: 'news' };
    if (value === null && /^Assert/.test(key)) {
      const cond = `Condition${key.slice(6)}`;
      const hitsC = [...news]
        .filter(([n, text]) => inGap(n) && new RegExp(`(^|[^\\w])${cond}=`).test(text))
        .map(([n]) => n);
      if (hitsC.length) return { version: Math.min(...hitsC), basis: 'twin' };
    }
    return { version: lower + 1, basis: 'guess' };
  };

  /**
   * Turn "present in these available versions" into {since, until, basis?}: contiguous in available versions,
   * stretched across interpolated gaps. Returns a list of ranges (normally one).
   */
  const toRanges = (presentIn, what) => {
    const ranges = [];
    let cur = null;
    for (const v of available) {
      const here = presentIn.has(v);
      if (here && !cur) {
        const prev = prevAvailable(v);
        if (prev === undefined || v === available[0]) cur = { since: v };
        else {
          const d = dateChange(prev, v, what);
          cur = { since: d.version, ...(d.basis ? { sinceBasis: d.basis } : {}) };
        }
      } else if (!here && cur) {
        const d = dateChange(prevAvailable(v), v, what);
        cur.until = d.version - 1;
        if (d.basis) cur.untilBasis = d.basis;
        ranges.push(cur);
        cur = null;
      }
    }
    if (cur) {
      cur.until = null;
      ranges.push(cur);
    }
    return ranges;
  };

  // ---- collect per key ----------------------------------------------------------------------------------------
  const keys = new Map(); // name -> {sections: Map section -> Set(v)}
  for (const [v, pv] of perVersion) {
    for (const r of pv.rows.values()) {
      if (!keys.has(r.key)) keys.set(r.key, { sections: new Map() });
      const s = keys.get(r.key).sections;
      if (!s.has(r.section)) s.set(r.section, new Set());
      s.get(r.section).add(v);
    }
  }

  const descriptions = readDescriptions(opt.descriptions);
  const unmappedParsers = new Set();
  const directives = [];
  for (const [name, info] of [...keys].sort(([a], [b]) => a.localeCompare(b, 'en'))) {
    const d = { name, sections: {}, parser: '', kind: 'other', list: false };
    // sections
    const sectionNames = [...info.sections.keys()].sort((a, b) => SECTION_ORDER.indexOf(a) - SECTION_ORDER.indexOf(b));
    for (const sec of sectionNames) {
      const ranges = toRanges(info.sections.get(sec), { key: name });
      const r = ranges.at(-1);
      const entry = { since: r.since, until: r.until };
      const basis = r.until !== null && r.untilBasis ? r.untilBasis : r.sinceBasis;
      if (basis) entry.basis = basis;
      const also = alsoIn(ranges);
      if (also) entry.alsoIn = also;
      d.sections[sec] = entry;
    }
    // The primary section (Service if the key is there, else the first in SECTION_ORDER) gives the top-level
    // parser/kind/values; another section whose newest parser differs (Mount's Type= is a file system type,
    // Service's Type= an enum) gets its own parser/kind/list in its section entry.
    const rowIn = (v, sec = null) => {
      const pv = perVersion.get(v);
      for (const s of sec ? [sec] : ['Service', ...sectionNames]) {
        const r = pv.rows.get(`${s}.${name}`);
        if (r) return r;
      }
      return null;
    };
    const parserIn = (v, sec = null) => {
      const r = rowIn(v, sec);
      if (!r) return null;
      if (r.section === 'Install' || r.parser === 'NULL') return perVersion.get(v).install.get(name) ?? 'NULL';
      return r.parser;
    };
    const kindOf = (sec) => {
      const present = available.filter((v) => rowIn(v, sec));
      const realV = [...present].reverse().find((v) => parserIn(v, sec) !== 'config_parse_warn_compat');
      const parser = parserIn(present.at(-1), sec);
      const real = realV !== undefined ? parserIn(realV, sec) : parser;
      let ki = PARSER_KINDS[real];
      if (!ki) {
        unmappedParsers.add(real);
        ki = guessKind(perVersion.get(realV ?? present.at(-1)).idx, real);
      }
      return { parser, kind: KIND_OVERRIDES[name] ?? ki[0], list: ki[1] };
    };
    const presentVersions = available.filter((v) => rowIn(v));
    const primary = sectionNames.includes('Service') ? 'Service' : sectionNames[0];
    Object.assign(d, kindOf(primary));
    for (const sec of sectionNames) {
      // a key stored in the Unit object but parsed in another section is a compatibility spelling of a [Unit] key
      const lastRow = rowIn(available.filter((v) => rowIn(v, sec)).at(-1), sec);
      if (sec !== 'Unit' && /^offsetof\(Unit,/.test(lastRow.offset) && d.sections.Unit)
        d.sections[sec].movedTo = 'Unit';
      if (sec === primary) continue;
      const k = kindOf(sec);
      if (k.kind !== d.kind || k.list !== d.list) Object.assign(d.sections[sec], k);
    }
    // values, version by version (a version where the key is ignored keeps the values of the version before)
    const valueVersions = new Map();
    let anyEnum = false;
    let lastVals = [];
    for (const v of presentVersions) {
      const p = parserIn(v, primary);
      if (!p || p === 'NULL') continue;
      let vals = lastVals;
      if (p !== 'config_parse_warn_compat') {
        const ki = PARSER_KINDS[p] ?? ['other', false];
        const enumish = ENUM_KINDS.has(ki[0]) || ki[2] === 'enum-values';
        if (enumish) anyEnum = true;
        // path lists have no special words; literals found there are option suffixes (":ro"), not values
        vals =
          ki[0] === 'boolean'
            ? ['yes', 'no']
            : ki[0] === 'path-list'
              ? []
              : parserValues(perVersion.get(v).idx, p, enumish);
      }
      lastVals = vals;
      for (const val of vals) {
        if (!valueVersions.has(val)) valueVersions.set(val, new Set());
        valueVersions.get(val).add(v);
      }
    }
    if (!anyEnum) for (const b of ['yes', 'no']) valueVersions.delete(b); // a plain boolean needs no value list
    if (valueVersions.size) {
      d.values = [];
      for (const [val, vs] of valueVersions) {
        const valueRanges = toRanges(vs, { key: name, value: val });
        const r = valueRanges.at(-1);
        const e = { value: val, since: r.since };
        // a value the key had from its first version on is as old as the key (and dated the same way)
        if (valueRanges.length === 1 && Math.min(...vs) === presentVersions[0]) {
          e.since = d.sections[primary].since;
          r.sinceBasis = d.sections[primary].until === null ? d.sections[primary].basis : undefined;
        }
        if (r.until !== null) e.until = r.until;
        const basis = r.until !== null && r.untilBasis ? r.untilBasis : r.sinceBasis;
        if (basis) e.basis = basis;
        const also = alsoIn(valueRanges);
        if (also) e.alsoIn = also;
        d.values.push(e);
      }
      d.values.sort((a, b) => a.since - b.since);
    }
    // deprecation
    d.deprecated = deprecation(
      name,
      presentVersions,
      (v) => parserIn(v, primary),
      (v) => rowIn(v, primary),
      d,
      dateChange,
      prevAvailable,
      newest,
    );
    if (!d.deprecated) delete d.deprecated;
    // alias of another key (same parser, ltype and storage as a documented key in the same section)
    const alias = aliasOf(name, perVersion.get(presentVersions.at(-1)), man.documented);
    if (alias) d.aliasOf = alias;
    if (d.deprecated && !d.deprecated.replacement) {
      const rep = REPLACEMENTS[name] ?? alias;
      if (rep) d.deprecated.replacement = rep;
    }
    d.description = descriptionFor(name, descriptions, d);
    directives.push(d);
  }
  if (unmappedParsers.size)
    warn(`parsers without an entry in PARSER_KINDS (kind guessed): ${[...unmappedParsers].join(' ')}`);
  const missing = directives.filter((d) => !d.description).map((d) => d.name);
  if (missing.length) warn(`no description for ${missing.length} directives: ${missing.join(' ')}`);

  // ---- the kept versions and the documented deprecations ------------------------------------------------------------
  const lastKept = kept.at(-1);
  const result = lastKept === undefined ? directives : mergeKept(directives, committed, newest);
  for (const d of result) {
    const doc = DOCUMENTED_DEPRECATIONS[d.name];
    if (doc && !d.deprecated) d.deprecated = { ...doc };
    d.description ||= descriptionFor(d.name, descriptions, d);
  }
  if (lastKept !== undefined) for (let v = newest + 1; v <= lastKept; v++) versions.push(v);
  const interpolated = versions.filter((v) => !sources.has(v) && !kept.includes(v));
  const records = [
    ...available.map((v) => sources.get(v).record),
    ...kept.map((v) => ({
      ...committed.header.versions.find((r) => r.version === v),
      kept: 'its source is not here: the facts of the versions after ' + newest + ' are kept from the committed file',
    })),
  ];
  const datingRef =
    lastKept !== undefined
      ? committed.header.versions.find((r) => r.version === lastKept).ref
      : sources.get(newest).record.ref;

  // ---- write -------------------------------------------------------------------------------------------------------
  const header = {
    $schema: './schemas/directives.schema.json',
    header: {
      description:
        'Unit-file directives accepted by systemd PID 1, generated from its parser tables. "since" equal to the first version (239) means "239 or earlier"; "until" is the last version that still accepts the key in that section (null = still accepted in the newest version).',
      generatedBy: 'scripts/gen-directives.mjs',
      source: [
        TABLE_IN,
        TABLE_M4,
        `${INSTALL_C} (parsers of [Install] keys)`,
        'src/{basic,shared,core,fundamental}/**/*.c (value tables)',
        `man/*.xml and NEWS of ${datingRef} (dating only)`,
      ],
      verifiedBy:
        'test/unit/directives-data.test.ts compares the keys with `systemd --dump-configuration-items` (252) and with the "Unknown key" warnings of `systemd-analyze security --offline=yes` of 252, 254, 257 and 262, and runs --check; test/conformance/directive-keys.test.ts compares the keys of every version with the Section.Key words of its real PID 1 where one is here (239 = v239-50, 247, 249, 252, 254, 255, 257, 262).',
      command: commandLine(opt),
      generated: opt.date,
      versions: records,
      interpolated: interpolated.length
        ? {
            versions: interpolated,
            how: `No parser table was available for ${interpolated.join(', ')}. Keys and values present on both sides of a gap are assumed present throughout; changes inside a gap are dated from the ${datingRef} man pages ("Added in version" notes via version-info.xml xpointer, History sections), then NEWS ("CHANGES WITH N" mentioning Key= or Key=value), then the matching Condition*= of an Assert*=, otherwise the first version after the older side. Entries dated this way carry "basis".`,
          }
        : undefined,
      featureFlags: `${FEATURES.join(', ')} taken as enabled (keys are the same either way; only the parser differs).`,
      notes: [
        'Keys whose parser is config_parse_warn_compat with DISABLED_LEGACY are still known to systemd (no "Unknown key" warning) but ignored; they carry "deprecated".',
        '[Install] keys appear in the PID 1 table with a NULL parser; their "parser" is the one of src/shared/install.c.',
        '"values" lists what the parser\'s string table or literal comparisons accept; for list settings it lists only special words (e.g. "none").',
      ],
    },
    versions,
    directives: result,
  };
  const lines = result.map((d) => '    ' + JSON.stringify(d));
  const head = JSON.stringify({ ...header, directives: undefined }, null, 2).replace(/\n}$/, '');
  const text = `${head},\n  "directives": [\n${lines.join(',\n')}\n  ]\n}\n`;
  if (opt.check) process.exit(checkAgainst(committed, JSON.parse(text)) ? 0 : 1);
  fs.mkdirSync(path.dirname(opt.out), { recursive: true });
  fs.writeFileSync(opt.out, text);
  process.stderr.write(
    `gen-directives: wrote ${result.length} directives for ${versions[0]}–${versions.at(-1)} to ${path.relative(process.cwd(), opt.out)}\n`,
  );
}

/** --check: the committed file against a fresh one, the date and command line aside; prints what differs. */
function checkAgainst(committed, fresh) {
  if (!committed) {
    warn('--check: no committed file');
    return false;
  }
  const strip = (f) => ({ ...f, header: { ...f.header, generated: undefined, command: undefined } });
  const a = strip(committed);
  const b = strip(fresh);
  const diffs = [];
  if (JSON.stringify(a.header) !== JSON.stringify(b.header)) diffs.push('header');
  if (JSON.stringify(a.versions) !== JSON.stringify(b.versions)) diffs.push('versions');
  const byName = new Map(a.directives.map((d) => [d.name, JSON.stringify(d)]));
  const names = new Set([...a.directives.map((d) => d.name), ...b.directives.map((d) => d.name)]);
  const freshBy = new Map(b.directives.map((d) => [d.name, JSON.stringify(d)]));
  for (const n of names) if (byName.get(n) !== freshBy.get(n)) diffs.push(`${n}=`);
  if (diffs.length)
    warn(`--check: the file differs from the sources in ${diffs.length} places: ${diffs.slice(0, 40).join(' ')}`);
  else process.stderr.write('gen-directives: --check: the file is what the sources give\n');
  return diffs.length === 0;
}

/**
 * A fresh run over the versions up to `newest` merged with the committed file's facts after it: for each key
 * and section, the fresh start and the committed end (where the key is still there at `newest`); values alike;
 * parser, kind and alias from the committed file (they describe the newest version that has the key); a
 * deprecation dated after `newest` from the committed file.
 */
function mergeKept(fresh, committed, newest) {
  const old = new Map(committed.directives.map((d) => [d.name, d]));
  const out = [];
  const names = [...new Set([...fresh.map((d) => d.name), ...old.keys()])].sort((a, b) => a.localeCompare(b, 'en'));
  const freshBy = new Map(fresh.map((d) => [d.name, d]));
  for (const name of names) {
    const f = freshBy.get(name);
    const o = old.get(name);
    if (!f) {
      // new after `newest` (or gone from the reference builds up to it)
      const copy = structuredClone(o);
      for (const [sec, r] of Object.entries(copy.sections))
        if (r.since <= newest) warn(`${sec}.${name}: in the committed file at ${r.since} but in no version read`);
      out.push(copy);
      continue;
    }
    if (!o) {
      for (const [sec, r] of Object.entries(f.sections))
        if (r.until === null) warn(`${sec}.${name}: read at ${newest} but not in the committed file`);
      out.push(f);
      continue;
    }
    const d = { name, sections: {}, parser: o.parser, kind: o.kind, list: o.list };
    const sectionNames = [...new Set([...Object.keys(f.sections), ...Object.keys(o.sections)])].sort(
      (a, b) => SECTION_ORDER.indexOf(a) - SECTION_ORDER.indexOf(b),
    );
    for (const sec of sectionNames) {
      const fr = f.sections[sec];
      const or = o.sections[sec];
      if (!fr) {
        if (or.since <= newest) warn(`${sec}.${name}: in the committed file at ${or.since} but in no version read`);
        d.sections[sec] = structuredClone(or);
        continue;
      }
      const extras = or
        ? Object.fromEntries(Object.entries(or).filter(([k]) => !['since', 'until', 'basis', 'alsoIn'].includes(k)))
        : {};
      const also = fr.alsoIn ? { alsoIn: fr.alsoIn } : {};
      if (fr.until !== null || !or) {
        d.sections[sec] = {
          since: fr.since,
          until: fr.until,
          ...(fr.basis ? { basis: fr.basis } : {}),
          ...also,
          ...extras,
        };
        continue;
      }
      if (or.until !== null && or.until <= newest)
        warn(`${sec}.${name}: committed until ${or.until}, read at ${newest}`);
      const basis = or.until !== null ? or.basis : fr.basis;
      d.sections[sec] = { since: fr.since, until: or.until, ...(basis ? { basis } : {}), ...also, ...extras };
    }
    const fv = new Map((f.values ?? []).map((x) => [x.value, x]));
    const ov = new Map((o.values ?? []).map((x) => [x.value, x]));
    if (fv.size || ov.size) {
      d.values = [];
      for (const [value, x] of fv) {
        const y = ov.get(value);
        if (x.until !== undefined || !y) d.values.push(x);
        else {
          const e = { value, since: x.since };
          if (y.until !== undefined) e.until = y.until;
          const basis = y.until !== undefined ? y.basis : x.basis;
          if (basis) e.basis = basis;
          if (x.alsoIn) e.alsoIn = x.alsoIn;
          d.values.push(e);
        }
      }
      for (const [value, y] of ov) if (!fv.has(value)) d.values.push(structuredClone(y));
      d.values.sort((a, b) => a.since - b.since);
    }
    const dep = o.deprecated && o.deprecated.since > newest ? o.deprecated : f.deprecated;
    if (dep) d.deprecated = structuredClone(dep);
    const alias = o.aliasOf ?? f.aliasOf;
    if (alias) d.aliasOf = alias;
    d.description = f.description;
    out.push(d);
  }
  return out;
}

/**
 * The versions of every range but the last: a key (or value) that a reference build has before the version that
 * introduced it upstream, through a downstream backport (v239-50 has RestrictSUIDSGID= of 242, ExecCondition= of
 * 243 …), and that the versions in between lack. Undefined when the key's versions are one run.
 */
function alsoIn(ranges) {
  if (ranges.length < 2) return undefined;
  const out = [];
  for (const r of ranges.slice(0, -1)) for (let v = r.since; v <= r.until; v++) out.push(v);
  warn(`${ranges.length} separate ranges (${JSON.stringify(ranges)}): the earlier go to alsoIn ${out.join(',')}`);
  return out;
}

function commandLine(opt) {
  const parts = ['node scripts/gen-directives.mjs'];
  if (opt.git) parts.push(`--git ${opt.git}`);
  for (const [v, dir] of [...opt.trees].sort(([a], [b]) => a - b)) parts.push(`--tree ${v}=${dir}`);
  if (opt.from !== 239) parts.push(`--from ${opt.from}`);
  return parts.join(' ');
}

/** Fallback when a parser is missing from PARSER_KINDS: look at what its body does with the value. */
function guessKind(idx, parser) {
  const b = idx.body(parser)?.text ?? '';
  const list = /strv_(extend|push|consume)|set_put|LIST_PREPEND|LIST_APPEND/.test(b);
  if (idx.macros.has(parser)) return ['enum', false];
  if (/parse_boolean\(/.test(b)) return ['boolean', false];
  if (/parse_sec\(/.test(b)) return ['timespan', false];
  if (/parse_size\(/.test(b)) return ['bytes', false];
  return [list ? 'list-of-strings' : 'other', list];
}

function deprecation(name, presentVersions, parserIn, rowIn, d, dateChange, prevAvailable, newest) {
  const last = presentVersions.at(-1);
  const allUntil = Object.values(d.sections).map((s) => s.until);
  if (allUntil.every((u) => u !== null)) {
    const until = Math.max(...allUntil);
    const basis = Object.values(d.sections).find((s) => s.until === until)?.basis;
    return { since: until + 1, how: 'removed', ...(basis ? { basis } : {}) };
  }
  // ignored with a warning from some version on (until the newest)
  const isCompat = (v) => parserIn(v) === 'config_parse_warn_compat' && rowIn(v)?.ltype === 'DISABLED_LEGACY';
  if (isCompat(last) && last === newest) {
    let first = last;
    for (const v of [...presentVersions].reverse()) {
      if (isCompat(v)) first = v;
      else break;
    }
    if (first === presentVersions[0]) return { since: first, how: 'ignored with a warning' };
    const date = dateChange(prevAvailable(first), first, { key: name, deprecation: true });
    return { since: date.version, how: 'ignored with a warning', ...(date.basis ? { basis: date.basis } : {}) };
  }
  // still works, but the parser says it is obsolete (warns and maps to the modern spelling)
  if (/obsolete/.test(parserIn(last) ?? '')) {
    const first = presentVersions.find((v) => /obsolete/.test(parserIn(v) ?? ''));
    return { since: first, how: 'accepted with a warning' };
  }
  return null;
}

/** A key that stores into the same field with the same parser and ltype as a documented key of its section. */
function aliasOf(name, pv, documented) {
  const mine = [...pv.rows.values()].filter((r) => r.key === name);
  for (const r of mine) {
    const genericOffset = r.offset === '0' || /^offsetof\(\w+, (exec|cgroup|kill)_context\)$/.test(r.offset);
    const specific = r.ltype !== '0' || !genericOffset;
    if (!specific || r.parser === 'config_parse_warn_compat' || r.parser === 'NULL') continue;
    if (documented.has(name)) continue;
    const twin = [...pv.rows.values()].find(
      (o) =>
        o.key !== name &&
        o.parser === r.parser &&
        o.ltype === r.ltype &&
        o.offset === r.offset &&
        documented.has(o.key) &&
        (o.section === r.section || /^offsetof\(Unit,/.test(r.offset)),
    );
    if (twin) return twin.key;
  }
  return null;
}

function readDescriptions(file) {
  const map = new Map();
  if (!fs.existsSync(file)) {
    warn(`no descriptions file ${file}`);
    return map;
  }
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new Error(`${file}: no tab in line: ${line}`);
    map.set(line.slice(0, tab).trim(), line.slice(tab + 1).trim());
  }
  return map;
}

/**
 * The hand-written line, or one composed from a family rule: Assert* reuse the Condition* text, keys with an
 * alias reuse the modern key's text.
 */
function descriptionFor(name, descriptions, d) {
  if (descriptions.has(name)) return descriptions.get(name);
  const twin = /^Assert(\w+)$/.exec(name);
  if (twin && descriptions.has(`Condition${twin[1]}`)) {
    const c = descriptions.get(`Condition${twin[1]}`);
    return c.replace(/^Start only if /, 'Fail the start (instead of skipping it) unless ');
  }
  if (d.aliasOf && descriptions.has(d.aliasOf))
    return `Old name of ${d.aliasOf}=: ${lowerFirst(descriptions.get(d.aliasOf))}`;
  return '';
}
function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

main();
