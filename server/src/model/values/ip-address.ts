/**
 * IPAddressAllow= / IPAddressDeny= (config_parse_in_addr_prefixes with AF_UNSPEC).
 *
 * Words (no unquoting): `any` (0.0.0.0/0 and ::/0), `localhost` and its RFC 6761 spellings
 * (127.0.0.0/8 and ::1/128), `link-local` (169.254.0.0/16, fe80::/64), `multicast` (224.0.0.0/4,
 * ff00::/8), or ADDRESS[/PREFIXLEN] (inet_pton syntax; no prefix = a single host). The address is
 * masked to its prefix when stored, so `127.0.0.1/0` becomes 0.0.0.0/0. A bad word is skipped with
 * a warning; empty resets the list. Entries form a set.
 */
import type { Assignment } from '../unit-model';
import { BAD_QUOTING, type Folded, problemAt } from './folded';
import { splitWords } from './words';

export interface IpPrefix {
  family: 4 | 6;
  /** Address bytes, masked to the prefix. */
  bytes: number[];
  prefixlen: number;
}

/** glibc inet_pton(AF_INET): four decimal octets, no leading zeros. */
export function inetPton4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** glibc inet_pton(AF_INET6). */
export function inetPton6(s: string): number[] | null {
  if (s.length === 0) return null;
  const words: number[] = [];
  let gap = -1;
  let i = 0;
  if (s.startsWith('::')) {
    gap = 0;
    i = 2;
    if (s.length === 2) return new Array(16).fill(0);
  } else if (s.startsWith(':')) return null;
  while (i < s.length) {
    // An embedded IPv4 address ends the string.
    const rest = s.slice(i);
    if (/^[0-9]+\.[0-9.]*$/.test(rest)) {
      const v4 = inetPton4(rest);
      if (!v4 || words.length > 6) return null;
      words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      i = s.length;
      break;
    }
    const m = /^[0-9a-fA-F]{1,4}/.exec(rest);
    if (!m) return null;
    words.push(parseInt(m[0], 16));
    i += m[0].length;
    if (i === s.length) break;
    if (s[i] !== ':') return null;
    i++;
    if (s[i] === ':') {
      if (gap >= 0) return null;
      gap = words.length;
      i++;
      if (i === s.length) break;
    } else if (i === s.length) return null;
  }
  if (words.length > 8) return null;
  if (gap >= 0) {
    if (words.length === 8) return null;
    const fill = new Array(8 - words.length).fill(0);
    words.splice(gap, 0, ...fill);
  } else if (words.length !== 8) return null;
  const out: number[] = [];
  for (const w of words) out.push(w >> 8, w & 0xff);
  return out;
}

function mask(bytes: number[], prefixlen: number): number[] {
  return bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, prefixlen - i * 8));
    return bits === 8 ? b : b & ((0xff << (8 - bits)) & 0xff);
  });
}

/** safe_atou8() (base auto-detected as strtoul with base 0, plus 0b/0o). */
function parsePrefixLength(s: string): number | null {
  let t = s.replace(/^[ \t\n\r]+/, '');
  let base = 10;
  if (/^0[bB]/.test(t)) {
    base = 2;
    t = t.slice(2);
  } else if (/^0[oO]/.test(t)) {
    base = 8;
    t = t.slice(2);
  } else if (/^[+-]?0[xX][0-9a-fA-F]/.test(t)) base = 16;
  else if (/^[+-]?0/.test(t)) base = 8;
  const m = /^([+-]?)(?:0[xX])?([0-9a-fA-F]+)$/.exec(t);
  if (!m) return null;
  const digits = m[2]!;
  const valid = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(digits)) return null;
  const n = parseInt(digits, base);
  if (m[1] === '-' && n !== 0) return null;
  return n <= 255 ? n : null;
}

/** in_addr_prefix_from_string_auto() with full-length default prefixes. */
export function parsePrefix(word: string): IpPrefix | null {
  const slash = word.indexOf('/');
  const addr = slash >= 0 ? word.slice(0, slash) : word;
  let family: 4 | 6 = 4;
  let bytes = inetPton4(addr);
  if (!bytes) {
    bytes = inetPton6(addr);
    family = 6;
  }
  if (!bytes) return null;
  const max = family === 4 ? 32 : 128;
  let prefixlen = max;
  if (slash >= 0) {
    const k = parsePrefixLength(word.slice(slash + 1));
    if (k === null || k > max) return null;
    prefixlen = k;
  }
  return { family, bytes: mask(bytes, prefixlen), prefixlen };
}

/** is_localhost(): the names RFC 6761 reserves for the local host, case-insensitively. */
export function isLocalhostName(s: string): boolean {
  const l = s.toLowerCase();
  return (
    ['localhost', 'localhost.', 'localhost.localdomain', 'localhost.localdomain.'].includes(l) ||
    ['.localhost', '.localhost.', '.localhost.localdomain', '.localhost.localdomain.'].some((e) => l.endsWith(e))
  );
}

const v4 = (a: number[], prefixlen: number): IpPrefix => ({ family: 4, bytes: mask(a, prefixlen), prefixlen });
const v6 = (a: number[], prefixlen: number): IpPrefix => ({ family: 6, bytes: mask(a, prefixlen), prefixlen });
const zero16 = (): number[] => new Array(16).fill(0);

export const NAMED_PREFIXES: Record<string, IpPrefix[]> = {
  any: [v4([0, 0, 0, 0], 0), v6(zero16(), 0)],
  localhost: [v4([127, 0, 0, 0], 8), v6([...new Array(15).fill(0), 1], 128)],
  'link-local': [v4([169, 254, 0, 0], 16), v6([0xfe, 0x80, ...new Array(14).fill(0)], 64)],
  multicast: [v4([224, 0, 0, 0], 4), v6([0xff, ...new Array(15).fill(0)], 8)],
};

function key(p: IpPrefix): string {
  return `${p.family}/${p.bytes.join('.')}/${p.prefixlen}`;
}

/** in_addr_is_localhost() on a stored (masked) prefix: 127.x.x.x, or exactly ::1. */
export function isLocalhostPrefix(p: IpPrefix): boolean {
  if (p.family === 4) return p.bytes[0] === 127;
  return p.bytes.slice(0, 15).every((b) => b === 0) && p.bytes[15] === 1;
}

export function foldIpAddressList(assignments: readonly Assignment[], from?: readonly IpPrefix[]): Folded<IpPrefix[]> {
  let list = new Map<string, IpPrefix>(from?.map((p) => [key(p), p]));
  const problems = [];
  for (const a of assignments) {
    if (a.value === '') {
      list = new Map();
      continue;
    }
    const split = splitWords(a.value, 0);
    for (const w of split.words) {
      const named =
        w.word === 'any' || w.word === 'link-local' || w.word === 'multicast'
          ? NAMED_PREFIXES[w.word]
          : isLocalhostName(w.word)
            ? NAMED_PREFIXES.localhost
            : undefined;
      const prefixes =
        named ??
        (() => {
          const p = parsePrefix(w.word);
          return p ? [p] : null;
        })();
      if (!prefixes) {
        problems.push(
          problemAt(
            a,
            w.start,
            w.end,
            `'${w.word}' is not an IP address or prefix, nor any, localhost, link-local or multicast; systemd skips it`,
          ),
        );
        continue;
      }
      for (const p of prefixes) if (!list.has(key(p))) list.set(key(p), p);
    }
    if (split.error)
      problems.push(
        problemAt(a, split.error.start, a.value.length, `${BAD_QUOTING}; systemd ignores the rest of the line`),
      );
  }
  return { value: [...list.values()], problems };
}

/** Both 0.0.0.0/0 and ::/0 are in the list (what the analyser calls "deny all"). */
/**
 * How the online analyser (property_read_ip_address_allow(), every release since ec16f3b6dd) reads an entry
 * of the IPAddressAllow= bus property: localhost only as exactly 127.x.x.x/8 or ::1/128; any other entry,
 * 127.0.0.1 (a /32) too, is a non-localhost entry.
 */
export function isBusLocalhostPrefix(p: IpPrefix): boolean {
  return p.prefixlen === (p.family === 4 ? 8 : 128) && isLocalhostPrefix(p);
}

/** Whether prefix `b` contains every address of `a` (same family, no longer prefix). */
function covers(b: IpPrefix, a: IpPrefix): boolean {
  if (a.family !== b.family || b.prefixlen > a.prefixlen) return false;
  return mask(a.bytes, b.prefixlen).every((x, i) => x === b.bytes[i]);
}

/**
 * ip_address_access_reduce() (1274b6c687, gone with 84ebe6f013 in 250): the manager drops every entry
 * another entry of the list covers in full, e.g. 127.0.0.1 beside localhost.
 */
export function reducePrefixes(list: readonly IpPrefix[]): IpPrefix[] {
  const out = [...list];
  for (let i = 0; i < out.length;) {
    const a = out[i]!;
    if (out.some((b) => b !== a && covers(b, a))) out.splice(i, 1);
    else i++;
  }
  return out;
}

export function coversAll(list: readonly IpPrefix[]): boolean {
  return list.some((p) => p.family === 4 && p.prefixlen === 0) && list.some((p) => p.family === 6 && p.prefixlen === 0);
}
