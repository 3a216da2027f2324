/** Every rule the core reports, with its default severity and a paragraph of documentation. */
import { assessorsFor } from '../exposure';
import { checkProblem, sandboxCode } from './sandbox';
import { MAX_DIAGNOSTICS_PER_FILE } from './diagnostics-limit';
import type { Severity } from './diagnostic';

export interface RuleDoc {
  code: string;
  severity: Severity | 'warning or information' | 'hint (configurable)';
  summary: string;
}

export const CORE_RULES: RuleDoc[] = [
  {
    code: 'invalid-unit-name',
    severity: 'error',
    summary:
      "The file's name (or, for a drop-in, its folder's) is not a valid unit name: too long (255 bytes at most), without a type suffix, with characters other than ASCII letters, digits, `:-_.\\` and `@`, or with nothing before `@`. systemd skips such a file on the unit search path, so it never loads. Shown on the first line; only syntax is checked in such a file, since its sections and settings mean nothing to systemd.",
  },
  {
    code: 'unknown-unit-type',
    severity: 'warning or information',
    summary:
      "The file's name ends with a suffix that is not a systemd unit type. Information for files of other programs (Podman quadlet `.container`, `.volume`, `.pod`, `.kube`, `.image`, `.build`, `.network`; systemd-networkd `.network`, `.netdev`; `.link`, `.nspawn`; a `.conf` drop-in outside a `NAME.d/` folder), warning otherwise (with the closest unit type when the suffix looks like a typo). Shown on the first line; only syntax is checked in such a file.",
  },
  {
    code: 'unknown-directive',
    severity: 'warning',
    summary:
      'No section of this unit type knows the key in the target systemd version, so systemd ignores the line. The message suggests the closest valid name, or says which version added or removed the directive ("PrivateIPC= needs systemd 248; the target is 239"), counting the backports of the reference build (RHEL 8\'s 239-50 has RestrictSUIDSGID=).',
  },
  {
    code: 'misplaced-directive',
    severity: 'warning',
    summary: 'The key is valid, but in another section of this unit type; systemd ignores it where it is.',
  },
  {
    code: 'deprecated-directive',
    severity: 'warning',
    summary:
      'systemd still accepts the key in the target version but ignores it, warns about it, or documents it as deprecated (PermissionsStartOnly= since 240); the message names what to use instead.',
  },
  {
    code: 'invalid-value',
    severity: 'warning',
    summary:
      'systemd cannot use the value: it logs a warning and ignores the assignment (warning), or refuses to load the unit (error). A word that only other versions accept says which version added it ("PrivateTmp=disconnected needs systemd 257; the target is 252"), also inside a list ("\'@known\' in SystemCallFilter= needs systemd 247; the target is 245").',
  },
  {
    code: 'read-only-pidfile',
    severity: 'warning',
    summary:
      "For a Type=forking service (systemd waits for its PID file): ProtectSystem=strict (set, or implied by DynamicUser=yes) mounts /run, /var and everything else read-only for the service, but its PIDFile= lies outside the folders the unit makes writable: the daemon cannot write it and the start fails. The fix adds RuntimeDirectory=NAME for the unit's own /run/NAME folder, ReadWritePaths=/run for a file directly in /run, ReadWritePaths=-FOLDER otherwise.",
  },
  {
    code: 'breaks-read-only-path',
    severity: 'warning',
    summary:
      'ProtectSystem=strict (set, or implied by DynamicUser=yes) or ReadOnlyPaths=/ makes a folder read-only that the service is known to write (its data, log, runtime or configuration folder, from server/data/service-needs.json; or /tmp when the unit shares it with PrivateTmp=false, as the mariadb unit does: booted, InnoDB cannot create its temporary files) and the unit does not make it writable: the service fails on start or at first write. ProtectSystem=full does the same for a folder under /etc the service writes (certbot and /etc/letsencrypt, booted: `[Errno 30] Read-only file system` on its lock file there). The warning sits on the line that makes it read-only, names the failure the journal shows, and the fix adds the ReadWritePaths= (or *Directory=) line. A PID file is left to read-only-pidfile.',
  },
  {
    code: 'breaks-user-switch',
    severity: 'warning',
    summary:
      'The service starts as root and switches to its own user itself (nginx, pg_ctlcluster, memcached, haproxy), but CapabilityBoundingSet= takes away CAP_SETUID or CAP_SETGID, or SystemCallFilter= denies the calls of the switch (setuid(), setgid(), setgroups(), all in @privileged but setgid()): the switch fails or the process is killed (status=31/SYS). The fix gives back only what the switch needs. Also when User= names another user for such a service, so that systemd starts it as that user and what it does as root first fails (booted: nginx with User=www-data, `open() "/run/nginx.pid" failed (13: Permission denied)`; only for services whose data records such a boot); that fix adds an empty User= (root again).',
  },
  {
    code: 'breaks-capability',
    severity: 'warning',
    summary:
      'The service starts as root and uses a capability before it drops root (nginx binds port 80 and opens logs owned by www-data; haproxy creates its admin socket in a folder it owns and chroots), but CapabilityBoundingSet= takes it away: the start fails. The fix gives back only the capabilities it needs (breaks-user-switch when CAP_SETUID or CAP_SETGID are among them).',
  },
  {
    code: 'breaks-address-family',
    severity: 'warning',
    summary:
      'RestrictAddressFamilies= takes away a family the service needs: AF_UNIX for Type=notify (sd_notify()) and D-Bus services (Type=dbus, BusName=), and the families a known service uses (its Unix sockets, netlink). The fix allows only the missing families.',
  },
  {
    code: 'breaks-syscall-filter',
    severity: 'warning',
    summary:
      "SystemCallFilter= denies a system call a known service makes (node_exporter's adjtimex(), in @clock): the process is killed at first use (status=31/SYS). SystemCallErrorNumber=EPERM makes such a denial an error instead; the fix allows only the missing calls.",
  },
  {
    code: 'breaks-memory-deny-write-execute',
    severity: 'warning',
    summary:
      'MemoryDenyWriteExecute=yes on a service whose ExecStart= (or ExecStartPre=, ExecStartPost=) runs a runtime that compiles code while it runs and was booted failing under it: Node.js (node, nodejs) aborts at start, killed with SIGTRAP after V8\'s "Fatal javascript OOM in MemoryChunk allocation failed during deserialization" (Node.js 18) or "Check failed: 12 == (*__errno_location ())" (Node.js 20). Not when the command turns the JIT off (node --jitless) or has the + prefix. Other JIT runtimes (Java, .NET, LuaJIT, PyPy, ...) only keep the setting out of suggestions. The fix adds MemoryDenyWriteExecute=no after the line.',
  },
  {
    code: 'breaks-no-new-privileges',
    severity: 'warning',
    summary:
      'NoNewPrivileges=yes, or a setting that implies it for a service that runs as a user other than root (up to systemd 254: SystemCallFilter=, RestrictAddressFamilies=, LockPersonality=, MemoryDenyWriteExecute=, PrivateDevices=, ProtectKernel*=, ProtectClock=, ProtectHostname=, RestrictNamespaces=, RestrictRealtime=, RestrictSUIDSGID=, SystemCallArchitectures=; from 255 only a SystemCallFilter= that denies capget(), capset() or prctl()), or DynamicUser=yes, while a command of the unit runs sudo as that user: the set-user-ID bit no longer works and sudo refuses (the journal shows: sudo: The "no new privileges" flag is set, which prevents sudo from running as root.). The fix adds NoNewPrivileges=no when nothing else implies the flag, else it gives the sudo command the + prefix (run with full privileges, outside the sandbox), since NoNewPrivileges=no cannot undo an implied flag.',
  },
  {
    code: 'breaks-restrict-namespaces',
    severity: 'warning',
    summary:
      'RestrictNamespaces= (yes, or a list that leaves a type out) forbids a namespace type that one of the unit\'s own command lines creates: unshare with --mount, --net, --user... (booted: "unshare: unshare failed: Operation not permitted", the service fails to start), bwrap and firejail (a mount namespace), systemd-nspawn (mount, PID, IPC, UTS), a container runtime (dockerd, containerd, podman, runc, crun, lxc-start...: a mount namespace per container). Commands run with `+` are outside the sandbox and do not count. The fix adds RestrictNamespaces= with only the missing types after the last line: after a first assignment a list adds its types, so the other types stay restricted.',
  },
  {
    code: 'breaks-protect-home',
    severity: 'warning',
    summary:
      'ProtectHome=yes or tmpfs while a command of the unit runs a program below /home, /root or /run/user (booted: "Failed to locate executable /home/app/bin/home-app: No such file or directory", from systemd 256 "Unable to locate executable \'/home/app/bin/home-app\'", status=203/EXEC) or its WorkingDirectory= lies below one of them ("Changing to the requested working directory failed: No such file or directory", status=200/CHDIR). Not for the folders themselves, EnvironmentFile= (read before the sandbox is set up), paths brought back with BindPaths=/BindReadOnlyPaths=, or commands with + or -. The fix adds ProtectHome=read-only after the line: the folders stay readable but not writable.',
  },
  {
    code: 'breaks-kernel-tunables',
    severity: 'warning',
    summary:
      'ProtectKernelTunables=yes makes /proc/sys and /sys read-only, but a command of the unit writes a kernel setting (sysctl -w KEY=V, sysctl KEY=V, sysctl -p, sysctl --system, or a shell writing into /proc/sys or /sys in a statement that fails the script: its last, or any under sh -e, none with ||): the write fails (booted: "sysctl: permission denied on key ...", through a shell "Read-only file system") and so does the start. Commands with the - prefix (failure ignored, the service starts) or + (outside the sandbox) and reads (sysctl -n) are left alone. The preferred fix gives only that command the + prefix, so the service keeps the setting; ProtectKernelTunables=no is the other.',
  },
  {
    code: 'breaks-private-devices',
    severity: 'warning',
    summary:
      'PrivateDevices=yes gives the service a /dev with only pseudo devices (/dev/null, zero, full, random, urandom, tty, pts, shm, mqueue, hugepages, log, stdin/stdout/stderr), but the unit uses another device: a device path on a command line or in Environment=, a command that opens one (ip tuntap add opens /dev/net/tun; booted: "open: No such file or directory", the start fails). DeviceAllow= alone is not taken as such evidence (it grants a device the service may do without). The fix is PrivateDevices=no.',
  },
  {
    code: 'breaks-private-network',
    severity: 'warning',
    summary:
      'PrivateNetwork=yes on a service that serves or connects over IP: it gets a network of its own with only a loopback device, starts and stays active, but nothing on the host reaches its ports and it reaches no other host. The journal shows nothing; clients do (booted: nginx is active and curl gets "Couldn\'t connect to server"; redis-cli "Connection refused"). Only on strong evidence: a known service reached over IP only (server/data/service-needs.json: nginx, redis, memcached, node_exporter, prometheus, unbound), an IP address, URL or port on a command line, IPAddressAllow=, or an allow-list of RestrictAddressFamilies= with AF_INET or AF_INET6; never for After=network.target alone. A socket-activated service (Sockets=, or it requires or enables its own .socket unit) is left alone: systemd opens its listening sockets on the host and passes them in, so it serves with PrivateNetwork=yes. The fix adds PrivateNetwork=no after the line.',
  },
  {
    code: 'breaks-private-tmp',
    severity: 'warning',
    summary:
      "PrivateTmp=yes while the unit puts a socket for other processes under /tmp or /var/tmp (`unix:/tmp/…`, `--socket=/tmp/…`, `--listen /tmp/…`, a `/tmp/….sock` path such as memcached's `-s /tmp/memcached.sock`, or a variable named like a socket, on a command line or in Environment=). The service gets a /tmp of its own and creates the socket there; its clients look in the host's /tmp and do not find it. It starts and stays active and the journal says nothing (booted: memcached under Debian's PrivateTmp=true, its client printed `nc: /tmp/memcached.sock: No such file or directory`). A temporary file of the service's own is no evidence, and a unit with JoinsNamespaceOf= is left alone (those units share its /tmp). The fix adds PrivateTmp=no after the line; a socket under /run (RuntimeDirectory=) would not need it.",
  },
  {
    code: 'breaks-protect-proc',
    severity: 'warning',
    summary:
      "ProtectProc=invisible on a known process monitoring agent (server/data/service-needs.json: prometheus-process-exporter): /proc hides every process of another user from it, unless it runs as root and keeps CAP_SYS_PTRACE. The agent starts and answers, but reports only its own processes (booted: process-exporter watching root's systemd-journal reports no such group). Only for a known agent: ProtectProc=invisible suits almost every other service. The fix adds ProtectProc=default after the line.",
  },
  {
    code: 'breaks-low-port',
    severity: 'warning',
    summary:
      'The service runs as a user other than root (User=, or DynamicUser=yes) and the unit says it listens on a port below 1024 (Environment=PORT=80 or HTTP_PORT=, a --port, --listen or --bind option on ExecStart=, or a known service\'s port), but AmbientCapabilities= does not grant CAP_NET_BIND_SERVICE: bind() fails with "Permission denied" and the program exits (booted: a Node.js application as www-data with PORT=80, "Error: listen EACCES: permission denied 127.0.0.1:80"). Shown on the User=/DynamicUser= line, or on an empty AmbientCapabilities= that comes after it. Not for a socket-activated service (systemd binds its sockets), a main command with + or !, or a URL (where the service connects to). Assumes the host keeps net.ipv4.ip_unprivileged_port_start at its default, 1024. The fix adds AmbientCapabilities=CAP_NET_BIND_SERVICE (and the capability to the bounding set when it leaves it out).',
  },
  {
    code: 'ambient-outside-bounding-set',
    severity: 'warning',
    summary:
      'AmbientCapabilities= grants a capability that CapabilityBoundingSet= leaves out. An ambient capability cannot exceed the bounding set: the unit starts, but the service runs without it (no error from systemd), and whatever needs it fails. A contradiction rather than a breakage: the service may not need it at all. The fix adds the capability back to the bounding set.',
  },
  {
    code: 'dynamic-user-static-name',
    severity: 'warning',
    summary:
      'DynamicUser=yes with a User= that systemd always finds statically: root or 0, another number, or nobody. systemd looks the name up before allocating, and a static user is used as it is: no transient user is allocated (booted with `id`: "uid=0(root) gid=0(root) groups=0(root)" for User=root), only the sandbox DynamicUser=yes implies applies. Other names are not flagged: whether they exist depends on the system. The fix resets the name with an empty User=, so the allocated user is named after the unit.',
  },
  {
    code: 'weakens-exposure',
    severity: 'warning',
    summary:
      "A drop-in makes one of the unit's own checks worse (an allow-list SystemCallFilter= after the vendor's deny-list, a looser ProtectSystem=, an empty assignment that resets a list) and does not lower the exposure overall. Each loosening line is marked with the exposure before and after; the fix removes it.",
  },
  {
    code: 'unknown-section',
    severity: 'warning',
    summary:
      'The unit type has no such section; systemd skips the section and everything in it. Sections starting with X- are for extensions and are skipped silently.',
  },
  {
    code: 'duplicate-section',
    severity: 'information',
    summary:
      'A section header appears twice in one file. systemd reads both parts as one section, which is legal but easy to misread.',
  },
  {
    code: 'invalid-section-header',
    severity: 'error',
    summary: 'A line starts with [ but does not end with ]: systemd refuses to load the file.',
  },
  {
    code: 'bad-section-characters',
    severity: 'error',
    summary: 'A section name holds quotes, backslashes or control characters: systemd refuses to load the file.',
  },
  {
    code: 'invalid-utf8',
    severity: 'error',
    summary:
      'A line that is not a comment is not valid UTF-8 (or holds a Unicode noncharacter): systemd refuses to load the file.',
  },
  {
    code: 'line-too-long',
    severity: 'error',
    summary: 'A line, or a line joined from continuation lines, reaches 1 MiB: systemd refuses to load the file.',
  },
  {
    code: 'assignment-outside-section',
    severity: 'warning',
    summary: 'Text before the first section header; systemd ignores it.',
  },
  { code: 'missing-equals', severity: 'warning', summary: "A line in a section has no '='; systemd ignores it." },
  { code: 'missing-key', severity: 'warning', summary: "A line starts with '='; systemd ignores it." },
  {
    code: 'nul-byte',
    severity: 'warning',
    summary: 'systemd ends a line at a NUL byte and reads what follows as a new line.',
  },
  {
    code: 'too-many-problems',
    severity: 'information',
    summary: `A file has more than ${MAX_DIAGNOSTICS_PER_FILE} problems: the first ${MAX_DIAGNOSTICS_PER_FILE} are shown (errors first, then in the order of the text) and this one diagnostic, on the first problem left out, says how many more there are. Real unit files have far fewer; thousands come from generated or damaged text.`,
  },
];

/** Rules of the language server about the files it reads from disk for a unit (server/src/lsp/file-notes.ts). */
export const FILE_RULES: RuleDoc[] = [
  {
    code: 'file-not-read',
    severity: 'warning',
    summary:
      "A file systemd would consider for the unit (its unit file or a drop-in) was not read by this tool: it is larger than the 4 MiB read from one file, the unit's files together pass 8 MiB, or it is not a regular file (a FIFO, socket or device, a kernel file of /proc, /sys or /dev). The message says which and what systemd does with it; the analysis goes on without the file. Shown on the first line of the open document.",
  },
  {
    code: 'file-links-elsewhere',
    severity: 'information',
    summary:
      "A file merged into the unit, or the drop-in folder it sits in, is a symbolic link: systemd follows it, so the settings come from the link's target, which the message names. Shown on the first line of the open document.",
  },
];

/** Rules of the language server about the unit as a whole. */
export const EDITOR_RULES: RuleDoc[] = [
  {
    code: 'exposure-summary',
    severity: 'information',
    summary:
      'One per service unit, on [Service] of the file being edited (the unit\'s document opened or changed last): the exposure as systemd-analyze security prints it and what the drop-in recommended by `systemd-hardening harden` brings it to ("nginx.service: exposure 9.6 UNSAFE; the recommended drop-in brings it to 3.1 OK."), or that it is in place. Its action "Harden this unit…" previews that drop-in (exposure before and after, what is left open and why) and, once confirmed, writes NAME.service.d/hardening.conf (for a vendor unit: under /etc of the same root) and opens it.',
  },
];

/** Sandbox rules: one per exposure check of any supported version. */
export function sandboxRules(): RuleDoc[] {
  const seen = new Map<string, RuleDoc>();
  for (const v of [252, 254, 257, 262]) {
    for (const a of assessorsFor(v)) {
      const code = sandboxCode(a.json_field);
      if (seen.has(code)) continue;
      seen.set(code, {
        code,
        severity: 'hint (configurable)',
        summary: `Check \`${a.id}\` of systemd-analyze security (weight ${a.weight}): ${checkProblem(a.json_field, a.id)}. The diagnostic names the setting that fixes it and the overall exposure after adding it; none is shown when the fix does not change the printed exposure. In the editor only, in the file being edited (the unit's document opened or changed last), on the line of the setting or on [Service]; its severity is \`systemdHardening.sandboxDiagnostics.severity\` (hint, information, warning or off). A fix outside the safe set says what it may break and is not the preferred one.`,
      });
    }
  }
  return [...seen.values()];
}

export function allRules(): RuleDoc[] {
  return [...CORE_RULES, ...FILE_RULES, ...EDITOR_RULES, ...sandboxRules()];
}

/** docs/rules.md, generated from this catalog. */
export function rulesMarkdown(): string {
  const lines = [
    '# Rules',
    '',
    'Every diagnostic of systemd-hardening has one of these codes. The code is also the key for `systemdHardening.severity` (set it to "off" to silence a rule).',
    '',
  ];
  for (const r of allRules()) lines.push(`## ${r.code}`, '', `Default severity: ${r.severity}.`, '', r.summary, '');
  return lines.join('\n');
}
