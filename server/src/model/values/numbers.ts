/**
 * Number parsing as systemd's safe_atoi() / safe_atou_full() / parse_mode() (src/basic/parse-util.c),
 * which sit on strtol()/strtoul().
 */

const WS = ' \t\n\r';

function digitsFor(base: number): RegExp {
  if (base === 16) return /^[0-9a-fA-F]+/;
  if (base === 8) return /^[0-7]+/;
  if (base === 2) return /^[01]+/;
  return /^[0-9]+/;
}

/**
 * strtol()/strtoul() over the whole string: optional sign, then digits of `base` (0 = C rules:
 * 0x hex, 0 octal, else decimal). Returns null unless the whole string is consumed.
 */
function strtoWhole(s: string, base: number): bigint | null {
  let i = 0;
  while (i < s.length && WS.includes(s[i]!)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let b = base;
  const rest = s.slice(i);
  if ((b === 0 || b === 16) && /^0[xX][0-9a-fA-F]/.test(rest)) {
    b = 16;
    i += 2;
  } else if (b === 0) b = rest.startsWith('0') ? 8 : 10;
  const m = digitsFor(b).exec(s.slice(i));
  if (!m) return null;
  if (i + m[0].length !== s.length) return null;
  let v = 0n;
  for (const c of m[0]) v = v * BigInt(b) + BigInt(parseInt(c, 16));
  return neg ? -v : v;
}

/** Python-style 0b/0o prefixes systemd accepts when no base is given (mangle_base()). */
function mangleBase(s: string): { s: string; base: number } {
  if (/^0[bB]/.test(s)) return { s: s.slice(2), base: 2 };
  if (/^0[oO]/.test(s)) return { s: s.slice(2), base: 8 };
  return { s, base: 0 };
}

/** safe_atoi(): a C int, base auto-detected; null when systemd refuses it. */
export function safeAtoi(input: string): number | null {
  let s = input;
  let k = 0;
  while (k < s.length && WS.includes(s[k]!)) k++;
  s = s.slice(k);
  const m = mangleBase(s);
  const v = strtoWhole(m.s, m.base);
  if (v === null || v < -2147483648n || v > 2147483647n) return null;
  return Number(v);
}

/** parse_mode(): octal, no sign, at most 07777. */
export function parseMode(input: string): number | null {
  let s = input;
  let k = 0;
  while (k < s.length && WS.includes(s[k]!)) k++;
  s = s.slice(k);
  if (s.startsWith('+') || s.startsWith('-')) return null;
  const v = strtoWhole(s, 8);
  if (v === null || v > 0o7777n) return null;
  return Number(v);
}
