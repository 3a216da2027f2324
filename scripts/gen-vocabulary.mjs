#!/usr/bin/env node
// Regenerates server/data/capabilities.json, address-families.json, namespaces.json and errno.json from primary
// sources: systemd's own build-time list generators run against the C headers each target was built with.
//
//   capabilities      src/basic/generate-cap-list.sh (generate-capability-list.sh in 258+) over linux/capability.h
//                     (+ src/basic/missing_capability.h; 258+ bundle their own copy in src/include/uapi)
//   address families  src/basic/generate-af-list.sh over sys/socket.h (+ missing_socket.h); af-to-name.awk marks
//                     AF_FILE, AF_LOCAL and AF_ROUTE as accepted aliases that systemd never prints
//   errno names       src/basic/generate-errno-list.sh over errno.h; errno-to-name.awk marks EDEADLOCK, EWOULDBLOCK
//                     and ENOTSUP as aliases
//   namespaces        namespace_info[] in src/basic/namespace-util.c and NAMESPACE_FLAGS_ALL in src/shared/nsflags.h
//
// The scripts are run exactly as meson runs them (a C preprocessor, and for 252-257 config.h + the missing_*.h
// header; for 258+ the -isystem list of src/include/{glibc,override,uapi}), but with -nostdinc and the headers of
// the Debian suite the target was built in, so the result does not depend on the machine's own /usr/include.
// Numbers come from `cpp -dM` over the same headers.
//
// How to obtain the inputs:
//   * systemd source trees: exactly as in the header of scripts/gen-syscalls.mjs (dpkg-source -x of
//     systemd 252.39-1~deb12u2, 254.26-1~bpo12+1, 257.13-1~deb13u1, 262-1).
//   * header roots, one per suite: unpack libc6-dev and linux-libc-dev of that suite into one directory, e.g.
//       apt-get download libc6-dev=2.36-9+deb12u14 linux-libc-dev=6.1.176-1     (bookworm: 252 and 254)
//       dpkg-deb -x libc6-dev_*.deb /tmp/vocab-src/headers/bookworm; dpkg-deb -x linux-libc-dev_*.deb /tmp/vocab-src/headers/bookworm
//     likewise trixie (libc6-dev 2.41-12+deb13u5, linux-libc-dev 6.12.117-1: 257) and sid (libc6-dev 2.43-7,
//     linux-libc-dev 7.2.13-1: 262). For suites not in /etc/apt, use a private apt configuration as
//     ../shared/oracles/install-systemd-analyze.sh does. The package versions found in each root are recorded.
//
// Usage:
//   node scripts/gen-vocabulary.mjs [--sources DIR] [--systemd 252=DIR ...] [--headers bookworm=ROOT ...]
//                                   [--out DIR] [--check]
//   Defaults: --sources $VOCAB_SOURCES or /tmp/vocab-src; systemd trees as in gen-syscalls.mjs; header roots
//   DIR/headers/{bookworm,trixie,sid}. CPP (default "cpp") names the preprocessor; it must target x86_64.
//
// Plain Node (>= 20), no dependencies; needs bash and a C preprocessor.

import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const TARGETS = ['252', '254', '257', '262'];
const SUITES = ['bookworm', 'trixie', 'sid'];
// 254 is a bookworm-backports build: backports are built in a bookworm environment.
const TARGET_SUITE = { 252: 'bookworm', 254: 'bookworm', 257: 'trixie', 262: 'sid' };
const DEFAULT_SYSTEMD = {
  252: 'systemd-252.39-1~deb12u2',
  254: 'systemd-254.26-1~bpo12+1',
  257: 'systemd-257.13-1~deb13u1',
  262: 'systemd-262-1',
};

// ---------------------------------------------------------------------------------------------------------------
// Hand-written notes. Every name the sources yield must have one here, or the generator stops.

const CAPABILITY_NOTES = {
  CAP_CHOWN: [
    'Change the owning user and group of any file.',
    'Can take over any file, for example /etc/shadow or a setuid binary, which leads straight to root.',
  ],
  CAP_DAC_OVERRIDE: [
    'Skip the read, write and execute permission checks on files (discretionary access control).',
    'Read and write access to every file on the system amounts to full root.',
  ],
  CAP_DAC_READ_SEARCH: [
    'Skip read permission checks on files and search checks on directories; also allows open_by_handle_at().',
    'Reads every secret on the system; open_by_handle_at() has been used to escape containers.',
  ],
  CAP_FOWNER: [
    'Act as the owner of any file for operations that normally require ownership (chmod, utimes, ACLs, sticky-bit deletions).',
    'Can change the mode of any file, e.g. make a root-owned binary setuid or /etc/passwd writable.',
  ],
  CAP_FSETID: [
    'Keep set-user-ID and set-group-ID bits when a file is modified, and set the set-group-ID bit on files of other groups.',
    null,
  ],
  CAP_KILL: ['Send signals to processes that belong to other users.', null],
  CAP_SETGID: [
    'Change group IDs and the supplementary group list to arbitrary values.',
    'Joining groups such as disk, shadow or docker gives their privileges.',
  ],
  CAP_SETUID: ['Change user IDs to arbitrary values.', 'Switching to UID 0 is becoming root.'],
  CAP_SETPCAP: [
    'Drop capabilities from the bounding set, pass permitted capabilities into the inheritable set, and change securebits.',
    null,
  ],
  CAP_LINUX_IMMUTABLE: ['Set or clear the immutable and append-only attributes of files.', null],
  CAP_NET_BIND_SERVICE: ['Bind sockets to privileged ports (below 1024).', null],
  CAP_NET_BROADCAST: [
    'Broadcast and listen to multicast on sockets (defined, but hardly checked by the kernel).',
    null,
  ],
  CAP_NET_ADMIN: [
    'Administer networking: interfaces, addresses, routes, firewall rules, traffic control, privileged socket options.',
    'Can redirect or intercept traffic and switch the firewall off.',
  ],
  CAP_NET_RAW: [
    'Open raw and packet sockets and bind to any address for transparent proxying.',
    "Can sniff and forge traffic on the host's networks.",
  ],
  CAP_IPC_LOCK: ['Lock memory into RAM beyond RLIMIT_MEMLOCK and use huge pages via shared memory.', null],
  CAP_IPC_OWNER: ['Bypass permission checks on System V IPC objects.', null],
  CAP_SYS_MODULE: [
    'Load and unload kernel modules and change the bounding set of capabilities for kernel threads.',
    'Loading a module runs arbitrary code in the kernel: total compromise.',
  ],
  CAP_SYS_RAWIO: [
    'Perform raw I/O: I/O ports, /dev/mem and /dev/kmem, raw SCSI commands, FIBMAP.',
    'Direct access to physical memory and devices can rewrite the kernel.',
  ],
  CAP_SYS_CHROOT: [
    'Call chroot() and enter mount namespaces with setns().',
    'A chroot into a directory the attacker controls can trick setuid programs into loading attacker files.',
  ],
  CAP_SYS_PTRACE: [
    'Trace, inspect and modify any process (ptrace, process_vm_readv/writev, kcmp).',
    'Can inject code into processes running as root.',
  ],
  CAP_SYS_PACCT: ['Switch process accounting on or off.', null],
  CAP_SYS_ADMIN: [
    'A catch-all for administration: mounting, namespaces, swap, host name, quotas, many device ioctls, and more.',
    'Close to full root; many known container and sandbox escapes need nothing else.',
  ],
  CAP_SYS_BOOT: ['Reboot the machine and load a new kernel with kexec.', 'kexec can boot an arbitrary kernel.'],
  CAP_SYS_NICE: [
    'Raise scheduling priority, use real-time policies, and change priority, CPU affinity or memory placement of other processes.',
    null,
  ],
  CAP_SYS_RESOURCE: [
    'Exceed resource limits and quotas, use reserved file-system space, raise limits of others.',
    null,
  ],
  CAP_SYS_TIME: ['Set the system clock and the hardware real-time clock.', null],
  CAP_SYS_TTY_CONFIG: ['Use vhangup() and other privileged terminal operations.', null],
  CAP_MKNOD: [
    'Create device special files with mknod().',
    'A device node for a disk or for memory, created where the service can reach it, gives raw access to them.',
  ],
  CAP_LEASE: ['Take leases on files the process does not own.', null],
  CAP_AUDIT_WRITE: ['Write records to the kernel audit log.', null],
  CAP_AUDIT_CONTROL: ['Turn kernel auditing on or off and change audit rules.', 'Can blind the audit trail.'],
  CAP_SETFCAP: [
    'Set file capabilities on executables, and map UID 0 in a new user namespace.',
    'Can give any capability to a program it can then run.',
  ],
  CAP_MAC_OVERRIDE: [
    'Override mandatory access control (used by Smack).',
    'Defeats the mandatory access control policy.',
  ],
  CAP_MAC_ADMIN: [
    'Change mandatory access control configuration and policy (Smack, AppArmor).',
    'Can weaken or unload the security policy.',
  ],
  CAP_SYSLOG: [
    'Perform privileged syslog operations: read or clear the kernel log buffer, and see kernel addresses that kptr_restrict hides.',
    'Leaked kernel addresses help kernel exploits.',
  ],
  CAP_WAKE_ALARM: ['Set timers that wake the system from suspend.', null],
  CAP_BLOCK_SUSPEND: ['Keep the system from suspending (EPOLLWAKEUP, wake locks).', null],
  CAP_AUDIT_READ: ['Read the audit log through a multicast netlink socket.', null],
  CAP_PERFMON: ['Use performance monitoring: perf_event_open and related BPF features without CAP_SYS_ADMIN.', null],
  CAP_BPF: [
    'Use privileged BPF: create maps and load program types that unprivileged users cannot.',
    'Together with CAP_PERFMON or CAP_NET_ADMIN, BPF programs can read kernel memory; verifier bugs have been used to gain root.',
  ],
  CAP_CHECKPOINT_RESTORE: [
    "Checkpoint/restore operations: choose PIDs for new processes, read /proc/PID/map_files, replace a process's exe link.",
    null,
  ],
};

// Releases from `since` on whose reference build lacks a name the 252 build knows, because it was built with older
// kernel headers than 252's (the generator reads only 252/254/257/262 and the oracles built here with bookworm's
// headers). Read from that build: the names in its libsystemd-shared, and its manager's answers.
const AF_ABSENT_IN = {
  AF_MCTP: {
    releases: [247],
    why: "Debian 11's 247.3 was built with linux-libc-dev 5.10, whose sys/socket.h has no AF_MCTP (Linux 5.15): its libsystemd-shared lacks the name, and its manager skips it (test/fixtures/value-words/af-mctp.service).",
  },
};

const AF_NOTES = {
  AF_UNIX: 'Local sockets between processes on the same machine, addressed by a file path or an abstract name.',
  AF_LOCAL: 'Alias of AF_UNIX.',
  AF_FILE: 'Old alias of AF_UNIX.',
  AF_INET: 'IPv4 networking (TCP, UDP, ICMP and raw IP).',
  AF_AX25: 'AX.25, the amateur packet radio link protocol.',
  AF_IPX: 'Novell IPX networking.',
  AF_APPLETALK: 'AppleTalk DDP networking.',
  AF_NETROM: 'NET/ROM, an amateur radio network layer.',
  AF_BRIDGE: 'Multiprotocol bridge; reserved number without sockets of its own (bridge configuration uses netlink).',
  AF_ATMPVC: 'ATM permanent virtual circuits.',
  AF_X25: 'ITU-T X.25 packet switching.',
  AF_INET6: 'IPv6 networking (TCP, UDP, ICMPv6 and raw IP).',
  AF_ROSE: 'ROSE, an amateur radio X.25 packet layer.',
  AF_DECnet: 'DECnet networking.',
  AF_NETBEUI: 'Reserved for an IEEE 802.2 LLC (NetBEUI) project; no kernel implementation.',
  AF_SECURITY: 'Placeholder for a security callback pseudo-family; no sockets.',
  AF_KEY: 'PF_KEY v2 key management, used by IPsec key daemons.',
  AF_NETLINK:
    'Netlink: messages between the kernel and user space (routing, interfaces, device events, audit, firewall and more).',
  AF_ROUTE: 'Alias of AF_NETLINK (the BSD name for routing sockets).',
  AF_PACKET: 'Raw link-layer frames: packet capture and protocols implemented in user space (DHCP clients, LLDP).',
  AF_ASH: 'Ash networking; reserved, no kernel implementation.',
  AF_ECONET: 'Acorn Econet (removed from the kernel).',
  AF_ATMSVC: 'ATM switched virtual circuits.',
  AF_RDS: 'Reliable Datagram Sockets, for clusters (typically over InfiniBand).',
  AF_SNA: 'IBM SNA; reserved, no kernel implementation.',
  AF_IRDA: 'IrDA infrared communication (removed from the kernel).',
  AF_PPPOX: 'PPP over other transports: PPPoE, L2TP, PPTP.',
  AF_WANPIPE: 'Sangoma WANPIPE cards; reserved, no kernel implementation today.',
  AF_LLC: 'IEEE 802.2 logical link control.',
  AF_IB: 'Native InfiniBand addresses (used through the RDMA connection manager).',
  AF_MPLS: 'MPLS; routes are configured through netlink with this family.',
  AF_CAN: 'Controller Area Network buses, as used in vehicles and industrial equipment.',
  AF_TIPC: 'TIPC, cluster-wide inter-process communication.',
  AF_BLUETOOTH: 'Bluetooth sockets (L2CAP, RFCOMM, SCO, HCI).',
  AF_IUCV: 'IUCV communication between z/VM guests on IBM mainframes.',
  AF_RXRPC: 'RxRPC, the transport of the AFS network file system.',
  AF_ISDN: 'ISDN through mISDN.',
  AF_PHONET: 'Phonet, the protocol of Nokia cellular modems.',
  AF_IEEE802154: 'IEEE 802.15.4 low-rate wireless personal area networks.',
  AF_CAIF: 'CAIF, the ST-Ericsson modem interface.',
  AF_ALG: 'The kernel crypto API, reached through sockets.',
  AF_NFC: 'Near field communication.',
  AF_VSOCK: 'Sockets between virtual machines and their host (virtio-vsock, VMCI, Hyper-V).',
  AF_KCM: 'Kernel Connection Multiplexor: message framing over TCP by a BPF program.',
  AF_QIPCRTR: 'Qualcomm IPC router, for talking to modems and DSPs on Qualcomm chips.',
  AF_SMC: 'SMC-R and SMC-D: TCP-compatible sockets over RDMA or shared memory.',
  AF_XDP: 'XDP sockets: fast packet I/O straight from a network driver.',
  AF_MCTP: 'MCTP, the Management Component Transport Protocol for talking to management controllers.',
};

const NAMESPACE_NOTES = {
  cgroup: "A private view of the control-group tree, rooted at the process's own cgroup.",
  ipc: 'Separate System V IPC objects and POSIX message queues.',
  net: 'A separate network stack: interfaces, addresses, routes, firewall rules and port numbers.',
  mnt: 'A separate mount table (the kernel calls the flag CLONE_NEWNS).',
  pid: 'A separate process-ID number space; the first process inside becomes PID 1 there.',
  user: 'Separate user and group ID mappings and capability sets; a process is fully privileged inside a user namespace it creates, which exposes much kernel code to unprivileged callers.',
  uts: 'A separate host name and NIS domain name.',
  time: 'Separate offsets for the monotonic and boot-time clocks.',
};

const ERRNO_NOTES = {
  EPERM: 'Operation not permitted to this caller.',
  ENOENT: 'The file or directory does not exist.',
  ESRCH: 'No such process.',
  EINTR: 'A signal interrupted the call.',
  EIO: 'Low-level input/output failure.',
  ENXIO: 'The device or address does not exist.',
  E2BIG: 'Argument list too long.',
  ENOEXEC: 'The file is not in an executable format.',
  EBADF: 'The file descriptor is not valid (or not open in the needed mode).',
  ECHILD: 'There is no child process to wait for.',
  EAGAIN: 'Temporarily unavailable; try again (also what non-blocking calls return instead of waiting).',
  ENOMEM: 'Out of memory.',
  EACCES: 'Permission denied by file or object permissions.',
  EFAULT: "A pointer argument points outside the process's address space.",
  ENOTBLK: 'A block device was needed.',
  EBUSY: 'The device or resource is in use.',
  EEXIST: 'The file or object already exists.',
  EXDEV: 'The operation would cross file systems (e.g. a hard link or rename between mounts).',
  ENODEV: 'No such device, or the operation is not supported by it.',
  ENOTDIR: 'A path component is not a directory.',
  EISDIR: 'The target is a directory.',
  EINVAL: 'An argument is invalid.',
  ENFILE: 'The system-wide limit on open files was reached.',
  EMFILE: 'The process has reached its limit of open file descriptors.',
  ENOTTY: 'The ioctl does not apply to this kind of file (classically: not a terminal).',
  ETXTBSY: 'The executable file is busy (open for writing, or being executed).',
  EFBIG: 'The file would grow too large.',
  ENOSPC: 'No space left on the device.',
  ESPIPE: 'Seeking is not possible on this file (pipe or socket).',
  EROFS: 'The file system is mounted read-only.',
  EMLINK: 'Too many hard links.',
  EPIPE: 'Writing to a pipe or socket whose reading end is closed.',
  EDOM: "A math argument is outside the function's domain.",
  ERANGE: 'A result does not fit the range of its type.',
  EDEADLK: 'The requested lock would cause a deadlock.',
  EDEADLOCK: 'Alias of EDEADLK.',
  ENAMETOOLONG: 'A file name or path is too long.',
  ENOLCK: 'No record locks are available.',
  ENOSYS: 'The system call is not implemented (a common answer for filtered calls, so programs fall back gracefully).',
  ENOTEMPTY: 'The directory is not empty.',
  ELOOP: 'Too many symbolic links while resolving a path.',
  EWOULDBLOCK: 'Alias of EAGAIN: the operation would block.',
  ENOMSG: 'No message of the requested type.',
  EIDRM: 'The IPC identifier was removed.',
  ECHRNG: 'Channel number out of range.',
  EL2NSYNC: 'Level 2 not synchronized (old STREAMS-era code).',
  EL3HLT: 'Level 3 halted (old STREAMS-era code).',
  EL3RST: 'Level 3 reset (old STREAMS-era code).',
  ELNRNG: 'Link number out of range.',
  EUNATCH: 'No protocol driver attached.',
  ENOCSI: 'No CSI structure available.',
  EL2HLT: 'Level 2 halted (old STREAMS-era code).',
  EBADE: 'Invalid exchange.',
  EBADR: 'Invalid request descriptor.',
  EXFULL: 'Exchange full.',
  ENOANO: 'No anode.',
  EBADRQC: 'Invalid request code.',
  EBADSLT: 'Invalid slot.',
  EBFONT: 'Bad font file format.',
  ENOSTR: 'Not a STREAMS device.',
  ENODATA: 'No data available (e.g. the extended attribute does not exist).',
  ETIME: 'A STREAMS timer expired.',
  ENOSR: 'Out of STREAMS resources.',
  ENONET: 'The machine is not on the network.',
  ENOPKG: 'The needed package or component is not installed.',
  EREMOTE: 'The object is remote.',
  ENOLINK: 'The link has been severed.',
  EADV: 'Advertise error.',
  ESRMNT: 'Srmount error.',
  ECOMM: 'Communication error while sending.',
  EPROTO: 'Protocol error.',
  EMULTIHOP: 'Multihop attempted.',
  EDOTDOT: 'RFS-specific error.',
  EBADMSG: 'Not a valid data message (also used for checksum failures).',
  EOVERFLOW: 'A value is too large for its data type.',
  ENOTUNIQ: 'The name is not unique on the network.',
  EBADFD: 'The file descriptor is in a bad state.',
  EREMCHG: 'The remote address changed.',
  ELIBACC: 'A needed shared library cannot be accessed.',
  ELIBBAD: 'A shared library is corrupted.',
  ELIBSCN: 'The .lib section of an a.out binary is corrupted.',
  ELIBMAX: 'Attempt to link in too many shared libraries.',
  ELIBEXEC: 'A shared library cannot be executed directly.',
  EILSEQ: 'Invalid or incomplete multibyte or wide character.',
  ERESTART: 'The interrupted system call should be restarted.',
  ESTRPIPE: 'STREAMS pipe error.',
  EUSERS: 'Too many users.',
  ENOTSOCK: 'The file descriptor is not a socket.',
  EDESTADDRREQ: 'A destination address is required.',
  EMSGSIZE: 'The message is too long.',
  EPROTOTYPE: 'The protocol is the wrong type for the socket.',
  ENOPROTOOPT: 'The protocol option is not available.',
  EPROTONOSUPPORT: 'The protocol is not supported.',
  ESOCKTNOSUPPORT: 'The socket type is not supported.',
  EOPNOTSUPP: 'The operation is not supported on this object.',
  ENOTSUP: 'Alias of EOPNOTSUPP.',
  EPFNOSUPPORT: 'The protocol family is not supported.',
  EAFNOSUPPORT:
    'The address family is not supported by the protocol (what RestrictAddressFamilies= makes socket() return).',
  EADDRINUSE: 'The address is already in use.',
  EADDRNOTAVAIL: 'The requested address cannot be assigned.',
  ENETDOWN: 'The network is down.',
  ENETUNREACH: 'The network is unreachable.',
  ENETRESET: 'The network dropped the connection on reset.',
  ECONNABORTED: 'The connection was aborted by software on this host.',
  ECONNRESET: 'The peer reset the connection.',
  ENOBUFS: 'No buffer space is available.',
  EISCONN: 'The socket is already connected.',
  ENOTCONN: 'The socket is not connected.',
  ESHUTDOWN: 'Cannot send after the transport endpoint was shut down.',
  ETOOMANYREFS: 'Too many references; cannot splice.',
  ETIMEDOUT: 'The connection or operation timed out.',
  ECONNREFUSED: 'The peer refused the connection.',
  EHOSTDOWN: 'The host is down.',
  EHOSTUNREACH: 'There is no route to the host.',
  EALREADY: 'An operation is already in progress.',
  EINPROGRESS: 'The operation is now in progress (non-blocking connect).',
  ESTALE: 'Stale file handle (typically NFS).',
  EUCLEAN: 'The structure needs cleaning (file-system corruption detected).',
  ENOTNAM: 'Not a XENIX named type file.',
  ENAVAIL: 'No XENIX semaphores available.',
  EISNAM: 'Is a named type file.',
  EREMOTEIO: 'Remote I/O error.',
  EDQUOT: 'The disk quota is exceeded.',
  ENOMEDIUM: 'No medium is present in the drive.',
  EMEDIUMTYPE: 'Wrong medium type.',
  ECANCELED: 'The operation was canceled.',
  ENOKEY: 'The required key is not available.',
  EKEYEXPIRED: 'The key has expired.',
  EKEYREVOKED: 'The key has been revoked.',
  EKEYREJECTED: 'The key was rejected by the service.',
  EOWNERDEAD: 'The owner of a robust mutex died.',
  ENOTRECOVERABLE: 'The state protected by a robust mutex is not recoverable.',
  ERFKILL: 'The operation is not possible because of an RF kill switch.',
  EHWPOISON: 'The memory page has a hardware error.',
  EFTYPE: 'The file has the wrong type for the intended operation.',
};

// af-to-name.awk and errno-to-name.awk leave these out of the number -> name tables: systemd accepts them but
// prints the canonical name.
const AF_ALIASES = { AF_FILE: 'AF_UNIX', AF_LOCAL: 'AF_UNIX', AF_ROUTE: 'AF_NETLINK' };
const ERRNO_ALIASES = { EDEADLOCK: 'EDEADLK', EWOULDBLOCK: 'EAGAIN', ENOTSUP: 'EOPNOTSUPP' };

// ---------------------------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = {
    systemd: {},
    headers: {},
    out: resolve(here, '..', 'server', 'data'),
    check: false,
    sources: process.env.VOCAB_SOURCES || '/tmp/vocab-src',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--systemd' || a === '--headers') {
      const v = next();
      const eq = v.indexOf('=');
      if (eq < 0) throw new Error(`${a} expects KEY=DIR, got ${v}`);
      opts[a.slice(2)][v.slice(0, eq)] = v.slice(eq + 1);
    } else if (a === '--out') opts.out = resolve(next());
    else if (a === '--sources') opts.sources = resolve(next());
    else if (a === '--check') opts.check = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        readFileSync(fileURLToPath(import.meta.url), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('//'))
          .map((l) => l.slice(3))
          .join('\n') + '\n',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const t of TARGETS)
    opts.systemd[t] ??= process.env[`SYSTEMD_SRC_${t}`] || join(opts.sources, DEFAULT_SYSTEMD[t]);
  for (const s of SUITES) opts.headers[s] ??= join(opts.sources, 'headers', s);
  for (const [k, d] of [...Object.entries(opts.systemd), ...Object.entries(opts.headers)])
    if (!existsSync(d)) throw new Error(`${k}: ${d} does not exist (see the header of this script for how to get it)`);
  return opts;
}

function debianVersionOf(root, what) {
  const changelog = join(root, 'debian', 'changelog');
  if (!existsSync(changelog)) throw new Error(`${root}: no debian/changelog (${what})`);
  const m = /^\S+ \(([^)]+)\)/.exec(readFileSync(changelog, 'utf8'));
  if (!m) throw new Error(`${changelog}: unreadable`);
  return m[1];
}

/** Version of a package unpacked into a header root, from its Debian changelog (binNMU changelog first). */
function packageVersionIn(root, pkg) {
  for (const f of [`changelog.Debian.amd64.gz`, `changelog.Debian.gz`]) {
    const p = join(root, 'usr', 'share', 'doc', pkg, f);
    if (existsSync(p)) {
      const m = /^\S+ \(([^)]+)\)/.exec(gunzipSync(readFileSync(p)).toString('utf8'));
      if (m) return m[1];
    }
  }
  throw new Error(`${root}: ${pkg} is not unpacked there`);
}

const CPP = process.env.CPP || 'cpp';

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts });
}

/** One target: its tree, its suite's header root, and how to call the preprocessor the way its meson does. */
class Target {
  constructor(version, tree, headerRoot, scratch) {
    this.version = version;
    this.tree = tree;
    this.headerRoot = headerRoot;
    const inc = join(headerRoot, 'usr', 'include');
    const gccInclude = run(CPP, ['-print-file-name=include']).trim();
    this.stdInc = ['-nostdinc', '-isystem', gccInclude, '-isystem', join(inc, 'x86_64-linux-gnu'), '-isystem', inc];
    // 258+: meson passes system_include_args (glibc, override, uapi: searched in that order) to the list scripts.
    const bundled = join(tree, 'src', 'include', 'uapi');
    this.newStyle = existsSync(bundled);
    this.systemInc = this.newStyle
      ? ['glibc', 'override', 'uapi'].flatMap((d) => ['-isystem', join(tree, 'src', 'include', d)])
      : [];
    // 252-257 include the build's config.h; nothing in it matters for these lists, so an empty one stands in.
    this.configH = join(scratch, 'config.h');
    writeFileSync(this.configH, '/* empty stand-in for the build config.h */\n');
  }

  /** Runs one of systemd's generate-*-list.sh scripts as meson would, returns its lines. */
  listScript(names, extraHeader) {
    const script = names.map((n) => join(this.tree, 'src', 'basic', n)).find((p) => existsSync(p));
    if (!script) throw new Error(`${this.tree}: none of ${names.join(', ')}`);
    const text = readFileSync(script, 'utf8');
    let args;
    if (/CC=\$\{1:\?\}/.test(text)) {
      args = [script, CPP, ...this.systemInc, ...this.stdInc];
    } else {
      // Old style: "$1" is the whole preprocessor command (word-split by the script), then config.h and a header.
      const cppCmd = [CPP, ...this.stdInc].join(' ');
      if (/\$\{1:\?\}/.test(text) && /\$\{2:\?\}/.test(text)) {
        const missing = join(this.tree, 'src', 'basic', extraHeader);
        if (!existsSync(missing)) throw new Error(`${missing} missing`);
        args = [script, cppCmd, this.configH, missing];
      } else args = [script, cppCmd];
    }
    return {
      script: script.slice(this.tree.length + 1),
      lines: run('bash', args)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    };
  }

  /** `cpp -dM` over the given headers with the same include path: macro name -> replacement text. */
  macros(headers) {
    const include = headers.flatMap((h) => ['-include', h]);
    const out = run(CPP, ['-dM', ...this.systemInc, ...this.stdInc, ...include, '-'], { input: '' });
    const map = new Map();
    for (const line of out.split('\n')) {
      const m = /^#define\s+([A-Za-z_]\w*)(?:\s+(.*))?$/.exec(line);
      if (m) map.set(m[1], (m[2] ?? '').trim());
    }
    return map;
  }
}

/** Integer value of a macro whose body is a literal or another macro name (possibly in parentheses). */
function evalMacro(map, name, depth = 0) {
  if (depth > 20) throw new Error(`macro loop at ${name}`);
  if (!map.has(name)) throw new Error(`${name} is not defined`);
  let body = map.get(name);
  while (/^\(.*\)$/.test(body)) body = body.slice(1, -1).trim();
  const lit = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)[uUlL]*$/.exec(body);
  if (lit)
    return Number(lit[1].startsWith('0') && !/^0[xX]/.test(lit[1]) && lit[1] !== '0' ? parseInt(lit[1], 8) : lit[1]);
  if (/^[A-Za-z_]\w*$/.test(body)) return evalMacro(map, body, depth + 1);
  throw new Error(`cannot evaluate ${name} = ${body}`);
}

// Releases before the first target (239–251, server/data/assessors.json). Namespace names are read from the
// release's own source (namespace_flag_map[] / namespace_info[] at its reference tag in a systemd-stable clone);
// capability, address-family and errno names come from the kernel and C library headers a build uses, not from
// systemd, so a name the first target knows is taken to be known from 239 (the 239 and 249 oracles built here use
// the same bookworm headers as 252; a distribution build with older headers may know fewer).
const ASSESSORS = JSON.parse(readFileSync(resolve(here, '..', 'server', 'data', 'assessors.json'), 'utf8'));
const EARLIER = Object.entries(ASSESSORS.versions)
  .filter(([v]) => Number(v) < Number(TARGETS[0]))
  .map(([v, e]) => [Number(v), e.ref]);
const STABLE_GIT = process.env.SYSTEMD_STABLE_GIT || '/work/.mirror/systemd+systemd-stable/repo';

/** The namespace names of an earlier release, read from its reference tag. */
function earlierNamespaceNames(ref) {
  if (ref.source !== 'systemd-stable') throw new Error(`no tag for ${JSON.stringify(ref)}`);
  const read = (path) => {
    try {
      return execFileSync('git', ['--git-dir', STABLE_GIT, 'show', `${ref.tag}:${path}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      return '';
    }
  };
  const text = read('src/basic/namespace-util.c') + read('src/shared/nsflags.c');
  return new Set(
    [...text.matchAll(/\{\s*(?:"(\w+)",\s*"[\w/]+",\s*CLONE_NEW\w+|CLONE_NEW\w+,\s*"(\w+)")\s*\}/g)].map(
      (m) => m[1] ?? m[2],
    ),
  );
}

/** The first release (239–251 or a target) that knows a name the first target knows. */
function earliestSince(what, name) {
  if (what !== 'namespace') return EARLIER.length ? EARLIER[0][0] : Number(TARGETS[0]);
  let since = Number(TARGETS[0]);
  for (let i = EARLIER.length - 1; i >= 0; i--) {
    const [v, ref] = EARLIER[i];
    if (ref.source !== 'systemd-stable') continue; // 247: a Debian tree; its neighbours 246 and 248 decide
    if (!earlierNamespaceNames(ref).has(name)) break;
    since = v;
  }
  return since;
}

/**
 * For each name, the first release whose list has it: the first target version (in order) that has it, or for a
 * name the first target has, the first earlier release (earliestSince); asserts lists only grow.
 */
function sinceMap(perVersion, what) {
  const since = new Map();
  for (const t of TARGETS) for (const n of perVersion[t]) if (!since.has(n)) since.set(n, Number(t));
  for (const [n, s] of since)
    for (const t of TARGETS)
      if (Number(t) >= s && !perVersion[t].includes(n))
        throw new Error(`${what} ${n} appears in ${s} but is missing in ${t}`);
  for (const [n, s] of since) if (s === Number(TARGETS[0])) since.set(n, earliestSince(what, n));
  return since;
}

function needNote(table, name, what) {
  if (!(name in table)) throw new Error(`no hand-written description for ${what} ${name}: add it to this script`);
  return table[name];
}

// ---------------------------------------------------------------------------------------------------------------

function build(opts) {
  const scratch = mkdtempSync(join(tmpdir(), 'gen-vocabulary-'));
  try {
    const targets = {};
    const provenance = {};
    for (const t of TARGETS) {
      const suite = TARGET_SUITE[t];
      const root = opts.headers[suite];
      targets[t] = new Target(t, opts.systemd[t], root, scratch);
      provenance[t] = {
        systemd: debianVersionOf(opts.systemd[t], `systemd ${t}`),
        headers: `${suite}: libc6-dev ${packageVersionIn(root, 'libc6-dev')}, linux-libc-dev ${packageVersionIn(root, 'linux-libc-dev')}`,
      };
      if (!provenance[t].systemd.startsWith(t)) throw new Error(`--systemd ${t} points at ${provenance[t].systemd}`);
    }

    // Capabilities --------------------------------------------------------------------------------------------
    const capLists = {};
    const capNumbers = new Map();
    const capScripts = new Set();
    for (const t of TARGETS) {
      const tg = targets[t];
      const { script, lines } = tg.listScript(
        ['generate-cap-list.sh', 'generate-capability-list.sh'],
        'missing_capability.h',
      );
      capScripts.add(script);
      capLists[t] = lines;
      const headers = tg.newStyle
        ? ['linux/capability.h']
        : ['linux/capability.h', join(tg.tree, 'src/basic/missing_capability.h')];
      const macros = tg.macros(headers);
      for (const n of lines) {
        const v = evalMacro(macros, n);
        if (capNumbers.has(n) && capNumbers.get(n) !== v) throw new Error(`${n} changes number in ${t}`);
        capNumbers.set(n, v);
      }
    }
    const capSince = sinceMap(capLists, 'capability');
    const capabilities = [...capSince.keys()]
      .sort((a, b) => capNumbers.get(a) - capNumbers.get(b))
      .map((name) => {
        const [description, risk] = needNote(CAPABILITY_NOTES, name, 'capability');
        return {
          name,
          number: capNumbers.get(name),
          since: capSince.get(name),
          description,
          ...(risk ? { risk } : {}),
        };
      });

    const capOut = {
      $schema: './schemas/capabilities.schema.json',
      header: {
        description:
          'Capability names systemd knows (CapabilityBoundingSet=, AmbientCapabilities=), with their numbers. since = the first release (239–262) whose build knows the name: the first of the target versions 252/254/257/262 whose build knows it, and 239 for a name 252 knows (these names come from the kernel and C library headers of the build; the 239 and 249 oracles built here use the same bookworm headers as 252).',
        generatedBy: 'scripts/gen-vocabulary.mjs',
        source: `systemd's own list generator (${[...capScripts].join(', ')}) run over linux/capability.h of the headers each target was built with (252-257 plus src/basic/missing_capability.h, 262 with its bundled src/include/uapi copy); numbers from cpp -dM over the same headers.`,
        parsing:
          'systemd matches names case-insensitively (gperf --ignore-case) and also accepts plain numbers (0-63 in 252). Unknown names in CapabilityBoundingSet= are skipped without a warning. systemd prints names in lower case (cap_chown).',
        verifiedBy:
          'test/conformance/vocabulary-binaries.test.ts compares names and numbers with `systemd-analyze capability` of each real binary.',
        descriptions: 'description and risk are hand-written notes of this project.',
        targets: provenance,
      },
      capabilities,
    };

    // Address families ----------------------------------------------------------------------------------------
    const afLists = {};
    const afNumbers = new Map();
    const afScripts = new Set();
    for (const t of TARGETS) {
      const tg = targets[t];
      const { script, lines } = tg.listScript(['generate-af-list.sh'], 'missing_socket.h');
      afScripts.add(script);
      afLists[t] = lines;
      const headers = tg.newStyle ? ['sys/socket.h'] : ['sys/socket.h', join(tg.tree, 'src/basic/missing_socket.h')];
      const macros = tg.macros(headers);
      for (const n of lines) {
        const v = evalMacro(macros, n);
        if (afNumbers.has(n) && afNumbers.get(n) !== v) throw new Error(`${n} changes number in ${t}`);
        afNumbers.set(n, v);
      }
      // The awk scripts of every version must still drop exactly these aliases.
      const awk = readFileSync(join(tg.tree, 'src/basic/af-to-name.awk'), 'utf8');
      for (const a of Object.keys(AF_ALIASES))
        if (!awk.includes(`/${a}/`)) throw new Error(`${t}: af-to-name.awk no longer skips ${a}`);
    }
    const afSince = sinceMap(afLists, 'address family');
    const families = [...afSince.keys()]
      .sort(
        (a, b) => afNumbers.get(a) - afNumbers.get(b) || (a in AF_ALIASES) - (b in AF_ALIASES) || a.localeCompare(b),
      )
      .map((name) => ({
        name,
        number: afNumbers.get(name),
        since: afSince.get(name),
        ...(AF_ABSENT_IN[name] ? { absentIn: AF_ABSENT_IN[name].releases } : {}),
        ...(AF_ALIASES[name] ? { aliasOf: AF_ALIASES[name] } : {}),
        description: needNote(AF_NOTES, name, 'address family'),
      }));
    for (const [a, c] of Object.entries(AF_ALIASES))
      if (afNumbers.get(a) !== afNumbers.get(c)) throw new Error(`${a} is not ${c}`);

    const afOut = {
      $schema: './schemas/address-families.schema.json',
      header: {
        description:
          'Address-family names accepted by RestrictAddressFamilies= (and SocketBindAllow= and friends), with numbers. since = the first release (239–262) whose build knows the name: the first of the target versions 252/254/257/262 whose build knows it, and 239 for a name 252 knows (these names come from the kernel and C library headers of the build; the 239 and 249 oracles built here use the same bookworm headers as 252). absentIn = releases from since on whose reference build lacks the name because it was built with older headers: kept by hand in the generator (AF_ABSENT_IN), read from that build.',
        generatedBy: 'scripts/gen-vocabulary.mjs',
        source: `systemd's own list generator (${[...afScripts].join(', ')}) run over sys/socket.h of the headers each target was built with (252-257 plus src/basic/missing_socket.h); AF_UNSPEC and AF_MAX are excluded by the script. Aliases (aliasOf) are accepted when parsing but af-to-name.awk leaves them out, so systemd prints the canonical name.`,
        parsing:
          'Names match case-insensitively (gperf --ignore-case). A leading "~" turns the list into a deny-list. In 252 an unknown name is reported and skipped; in 262 the whole assignment is rejected.',
        verifiedBy:
          'test/conformance/vocabulary-binaries.test.ts feeds every name (one assignment per line) and some invalid ones to each real binary via `systemd-analyze security --offline=yes` and checks which lines it rejects.',
        descriptions: 'description is a hand-written note of this project.',
        targets: provenance,
      },
      special: [
        {
          name: 'none',
          since: 249,
          description:
            'Deny every address family: the service cannot create sockets at all (socket() fails with EAFNOSUPPORT).',
        },
      ],
      families,
    };

    // Namespaces ----------------------------------------------------------------------------------------------
    const nsLists = {};
    const nsFlags = new Map();
    const nsInAll = {};
    const nsValue = new Map();
    for (const t of TARGETS) {
      const tg = targets[t];
      const src = readFileSync(join(tg.tree, 'src/basic/namespace-util.c'), 'utf8');
      const table = /namespace_info\s*\[[^\]]*\]\s*=\s*\{([\s\S]*?)\n\};/.exec(src);
      if (!table) throw new Error(`${t}: namespace_info[] not found`);
      const entries = [...table[1].matchAll(/\[NAMESPACE_\w+\]\s*=\s*\{\s*"([^"]+)"\s*,\s*"[^"]*"\s*,\s*(CLONE_\w+)/g)];
      if (entries.length < 7) throw new Error(`${t}: namespace_info[] parsed to ${entries.length} entries`);
      nsLists[t] = entries.map((e) => e[1]);
      for (const e of entries) {
        if (nsFlags.has(e[1]) && nsFlags.get(e[1]) !== e[2]) throw new Error(`${e[1]} changes flag in ${t}`);
        nsFlags.set(e[1], e[2]);
      }
      const hdr = readFileSync(join(tg.tree, 'src/shared/nsflags.h'), 'utf8');
      const all = /#define\s+NAMESPACE_FLAGS_ALL\s*\\?\s*\n?([\s\S]*?\)\))/.exec(hdr);
      if (!all) throw new Error(`${t}: NAMESPACE_FLAGS_ALL not found`);
      nsInAll[t] = new Set(all[1].match(/CLONE_\w+/g));
      // Flag values: the kernel header; for a flag it lacks, systemd's own fallback definition (missing_sched.h,
      // or src/include/override/sched.h in 258+), read textually because those headers pull in systemd's macros.
      const macros = tg.macros(['linux/sched.h']);
      const fallbackFile = tg.newStyle
        ? join(tg.tree, 'src/include/override/sched.h')
        : join(tg.tree, 'src/basic/missing_sched.h');
      const fallback = existsSync(fallbackFile) ? readFileSync(fallbackFile, 'utf8') : '';
      for (const e of entries) {
        if (!macros.has(e[2])) {
          const m = new RegExp(`#\\s*define\\s+${e[2]}\\s+(\\S+)`).exec(fallback);
          if (!m) throw new Error(`${t}: ${e[2]} is defined neither by linux/sched.h nor by ${fallbackFile}`);
          macros.set(e[2], m[1]);
        }
        const v = evalMacro(macros, e[2]);
        if (nsValue.has(e[2]) && nsValue.get(e[2]) !== v) throw new Error(`${e[2]} changes value in ${t}`);
        nsValue.set(e[2], v);
      }
    }
    const nsSince = sinceMap(nsLists, 'namespace');
    const types = [...nsSince.keys()].map((name) => {
      const flag = nsFlags.get(name);
      const covered = TARGETS.filter((t) => nsInAll[t].has(flag)).map(Number);
      // RestrictNamespaces=yes covers every type a release knows up to the first target (NAMESPACE_FLAGS_ALL).
      if (covered[0] === Number(TARGETS[0])) covered[0] = nsSince.get(name);
      return {
        name,
        cloneFlag: flag,
        value: nsValue.get(flag),
        hex: '0x' + nsValue.get(flag).toString(16).padStart(8, '0'),
        since: nsSince.get(name),
        coveredByYesSince: covered.length ? covered[0] : null,
        description: needNote(NAMESPACE_NOTES, name, 'namespace'),
      };
    });
    for (const ty of types) {
      // coveredByYesSince must be a clean cut-over, not a pattern with holes.
      const cov = TARGETS.map((t) => nsInAll[t].has(ty.cloneFlag));
      if (cov.some((c, i) => i > 0 && cov[i - 1] && !c))
        throw new Error(`${ty.name}: NAMESPACE_FLAGS_ALL membership is not monotonic`);
    }
    const nsOut = {
      $schema: './schemas/namespaces.schema.json',
      header: {
        description:
          'Namespace type names accepted by RestrictNamespaces= (list form, optionally inverted with "~"), in systemd\'s table order, with the clone() flag each stands for.',
        generatedBy: 'scripts/gen-vocabulary.mjs',
        source:
          "namespace_info[] in src/basic/namespace-util.c (names and flags; namespace_flags_from_string() in src/shared/nsflags.c compares names exactly, so they are case-sensitive), NAMESPACE_FLAGS_ALL in src/shared/nsflags.h, flag values from linux/sched.h of the suite headers (with systemd's fallback definitions).",
        parsing:
          'RestrictNamespaces=yes allows no namespace type, =no allows all; both are limited to NAMESPACE_FLAGS_ALL. coveredByYesSince is the first target version whose NAMESPACE_FLAGS_ALL includes the flag: "time" is accepted as a name by every target but only 262 restricts it on RestrictNamespaces=yes.',
        verifiedBy:
          'test/conformance/vocabulary-binaries.test.ts checks with each real binary that every name is accepted and that unknown or upper-case names are rejected.',
        descriptions: 'description is a hand-written note of this project.',
        targets: provenance,
      },
      types,
    };

    // errno ---------------------------------------------------------------------------------------------------
    const errLists = {};
    const errNumbers = new Map();
    const errScripts = new Set();
    for (const t of TARGETS) {
      const tg = targets[t];
      const { script, lines } = tg.listScript(['generate-errno-list.sh'], null);
      errScripts.add(script);
      errLists[t] = lines;
      const macros = tg.macros(['errno.h']);
      for (const n of lines) {
        const v = evalMacro(macros, n);
        if (errNumbers.has(n) && errNumbers.get(n) !== v) throw new Error(`${n} changes number in ${t}`);
        errNumbers.set(n, v);
      }
      const awk = readFileSync(join(tg.tree, 'src/basic/errno-to-name.awk'), 'utf8');
      for (const a of Object.keys(ERRNO_ALIASES))
        if (!awk.includes(a)) throw new Error(`${t}: errno-to-name.awk no longer skips ${a}`);
    }
    const errSince = sinceMap(errLists, 'errno');
    const names = [...errSince.keys()]
      .sort(
        (a, b) =>
          errNumbers.get(a) - errNumbers.get(b) || (a in ERRNO_ALIASES) - (b in ERRNO_ALIASES) || a.localeCompare(b),
      )
      .map((name) => ({
        name,
        number: errNumbers.get(name),
        since: errSince.get(name),
        ...(ERRNO_ALIASES[name] ? { aliasOf: ERRNO_ALIASES[name] } : {}),
        description: needNote(ERRNO_NOTES, name, 'errno'),
      }));
    for (const [a, c] of Object.entries(ERRNO_ALIASES))
      if (errNumbers.get(a) !== errNumbers.get(c)) throw new Error(`${a} is not ${c}`);
    // "kill" is the only action word: check that every tree's parser says so.
    for (const t of TARGETS) {
      const lf = readFileSync(join(targets[t].tree, 'src/core/load-fragment.c'), 'utf8');
      const fn = /int config_parse_syscall_errno\([\s\S]*?\n\}/.exec(lf)?.[0] ?? '';
      if (!/streq\(rvalue, "kill"\)/.test(fn))
        throw new Error(`${t}: config_parse_syscall_errno no longer special-cases "kill"`);
      if (/"log"/.test(fn))
        throw new Error(`${t}: config_parse_syscall_errno now mentions "log": update errno.json special values`);
    }
    const errOut = {
      $schema: './schemas/errno.schema.json',
      header: {
        description:
          'errno names accepted by SystemCallErrorNumber= and by the ":errno" suffix of SystemCallFilter= entries, with their x86_64 numbers. since = the first release (239–262) whose build knows the name: the first of the target versions 252/254/257/262 whose build knows it, and 239 for a name 252 knows (these names come from the kernel and C library headers of the build; the 239 and 249 oracles built here use the same bookworm headers as 252).',
        generatedBy: 'scripts/gen-vocabulary.mjs',
        source: `systemd's own list generator (${[...errScripts].join(', ')}) run over errno.h of the headers each target was built with; aliasOf marks the names errno-to-name.awk leaves out (accepted, never printed). Special values from config_parse_syscall_errno() in src/core/load-fragment.c and seccomp_parse_errno_or_action() in src/shared/seccomp-util.[ch].`,
        parsing:
          'Names match case-insensitively (gperf --ignore-case). Plain numbers 1-4095 are accepted too; 0 is refused ("Invalid error number"). An empty SystemCallErrorNumber= resets to the default (kill). In SystemCallFilter=, NAME:errno is only taken in deny-list mode ("~"); in allow-list mode systemd refuses the entry ("Allow-listed system calls cannot take error number").',
        verifiedBy:
          'test/conformance/vocabulary-binaries.test.ts feeds every name, the special values, "log" and invalid names to each real binary via `systemd-analyze security --offline=yes` and checks which lines it rejects.',
        descriptions: 'description is a hand-written note of this project.',
        targets: provenance,
      },
      special: [
        {
          name: 'kill',
          since: 247,
          sinceUpstream: 247,
          acceptedBy: ['SystemCallErrorNumber=', 'SystemCallFilter= NAME:kill'],
          description:
            'Kill the process when it makes a filtered call, instead of failing the call with an error number. This is also the default when no error number is set.',
        },
      ],
      notAccepted: [
        {
          name: 'log',
          description:
            'The v247 release notes announce a "log" action for SystemCallErrorNumber=, but the parser of every target (252, 254, 257, 262) rejects it ("Failed to parse error number") and SystemCallFilter=NAME:log is refused as well. Logging of filtered calls is done with SystemCallLog= instead.',
        },
      ],
      names,
    };

    return { capOut, afOut, nsOut, errOut };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { capOut, afOut, nsOut, errOut } = build(opts);
  const outputs = [
    ['capabilities.json', capOut],
    ['address-families.json', afOut],
    ['namespaces.json', nsOut],
    ['errno.json', errOut],
  ];
  let drift = false;
  for (const [name, data] of outputs) {
    const file = join(opts.out, name);
    const text = JSON.stringify(data, null, 2) + '\n';
    if (opts.check) {
      if ((existsSync(file) ? readFileSync(file, 'utf8') : '') !== text) {
        drift = true;
        process.stderr.write(`${file} differs from what the sources give\n`);
      }
    } else {
      writeFileSync(file, text);
      process.stderr.write(`wrote ${file}\n`);
    }
  }
  process.stderr.write(
    `capabilities ${capOut.capabilities.length}, address families ${afOut.families.length}, namespaces ${nsOut.types.length}, errno names ${errOut.names.length}\n`,
  );
  if (drift) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`gen-vocabulary: ${e instanceof Error ? e.message : String(e)}\n`);
    if (e && typeof e === 'object' && 'stderr' in e && e.stderr) process.stderr.write(String(e.stderr));
    process.exit(1);
  }
}
