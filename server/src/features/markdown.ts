/** Small markdown helpers shared by hover and completion documentation. */

/** Inline code that survives backticks inside. */
export function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** Escapes text for a markdown table cell. */
export function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Escapes markdown punctuation in plain text taken from data (names, descriptions). */
export function plain(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}

/** Memoizes a markdown renderer whose arguments are plain data (keyed by their JSON). */
export function memoize<A extends unknown[]>(f: (...args: A) => string): (...args: A) => string {
  const cache = new Map<string, string>();
  return (...args: A) => {
    const k = JSON.stringify(args);
    let v = cache.get(k);
    if (v === undefined) {
      v = f(...args);
      if (cache.size > 5000) cache.clear();
      cache.set(k, v);
    }
    return v;
  };
}

/** "9.6 → 9.4". */
export function arrow(before: string, after: string): string {
  return `${before} → ${after}`;
}
