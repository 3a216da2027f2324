/**
 * Reading a `--policy` file: through io/read-file.ts (a FIFO or a device never blocks), and with
 * error messages that never quote the file's content (a policy path may name a secret file by
 * mistake; JSON.parse's own messages quote the text).
 */
import { readRegularFile } from '../io/read-file';
import { batchService, type Policy } from '../service';
import { UsageError } from './args';

/** The most bytes read from a policy file: real ones are a few KiB. */
export const MAX_POLICY_BYTES = 1 << 20;

/**
 * The offset of the first JSON syntax error in `text`, or -1 when it is valid JSON (RFC 8259).
 * A small recursive-descent check; nesting deeper than 512 counts as an error.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string): boolean => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return true;
    }
    return false;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          return false;
        }
      } else i++;
    }
    return false;
  };
  const number = (): boolean => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  const value = (depth: number): boolean => {
    ws();
    if (depth > 512) return false;
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return true;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (!string()) return false;
          ws();
          if (text[i] !== ':') return false;
          i++;
        }
        if (!value(depth + 1)) return false;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === close) {
          i++;
          return true;
        }
        return false;
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  if (!value(0)) return Math.min(i, text.length);
  ws();
  return i === text.length ? -1 : i;
}

/** Reads and checks a `--policy` file; any problem is a UsageError whose message quotes none of the file. */
export function readPolicy(path: string | undefined, version: number): Policy | undefined {
  if (path === undefined) return undefined;
  const r = readRegularFile(path, MAX_POLICY_BYTES);
  if (!r.ok) throw new UsageError(`cannot read policy ${path}: ${r.reason}`);
  const text = batchService.decodeBytes(r.bytes).replace(/^\ufeff/, '');
  const at = jsonErrorOffset(text);
  if (at >= 0) {
    const pos = batchService.lineIndex(text).positionAt(at);
    throw new UsageError(`policy ${path} is not valid JSON (at line ${pos.line + 1}, column ${pos.character + 1})`);
  }
  let policy: Policy;
  try {
    policy = JSON.parse(text) as Policy;
  } catch {
    throw new UsageError(`policy ${path} is not valid JSON`);
  }
  const problem = batchService.policyError(policy, version);
  if (problem) throw new UsageError(`policy ${path}: ${problem}`);
  return policy;
}
