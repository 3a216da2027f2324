/**
 * LoadCredential=/LoadCredentialEncrypted= (config_parse_load_credential) and
 * SetCredential=/SetCredentialEncrypted= (config_parse_set_credential): two maps keyed by
 * credential name; a later line for the same name replaces the earlier one (and its "encrypted"
 * flag); an empty value clears the whole map of that family. What matters for the analyser is
 * whether an encrypted credential is left: then unit_patch_contexts() opens the TPM device (252:
 * /dev/tpmrm0, 254-257: char-tpm; 258+ no longer at load time).
 */
import type { Assignment, ValueProblem } from '../unit-model';
import { pathIsNormalized } from './paths';
import { unitPrintf, PATH_PRINTF_MAX, type SpecifierContext } from './specifiers';
import { BAD_QUOTING, type Folded, ignoresLine, problemAt, problemOnValue } from './folded';
import { EXTRACT_DONT_COALESCE_SEPARATORS, extractFirstWord } from './words';
import { filenameIsValid } from './exec';

export interface Credential {
  id: string;
  /** Source path or credential name (LoadCredential*), null for SetCredential*. */
  source: string | null;
  encrypted: boolean;
}

/** credential_name_valid(): a valid file name and fd name (ASCII, no control characters, no ':'). */
export function credentialNameValid(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return filenameIsValid(s) && !/[\x00-\x1f\x7f-\uffff:]/.test(s) && s.length <= 255;
}

/** unbase64mem(): groups of four Base64 characters (whitespace ignored), `=` padding only at the end. */
export function isValidBase64(s: string): boolean {
  const t = s.replace(/[ \t\n\r]/g, '');
  if (t.length % 4 !== 0) return false;
  if (!/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t)) return false;
  // The bits the padding drops must be zero.
  if (t.endsWith('==')) return 'AQgw'.includes(t[t.length - 3]!);
  if (t.endsWith('=')) return 'AEIMQUYcgkosw048'.includes(t[t.length - 2]!);
  return true;
}

function credentialFamily(
  assignments: readonly Assignment[],
  ctx: SpecifierContext,
  kind: 'load' | 'set',
): Folded<Map<string, Credential>> {
  let map = new Map<string, Credential>();
  const problems: ValueProblem[] = [];
  for (const a of assignments) {
    if (a.value === '') {
      map = new Map();
      continue;
    }
    const encrypted = a.key.endsWith('Encrypted');
    const first = extractFirstWord(a.value, 0, EXTRACT_DONT_COALESCE_SEPARATORS, ':');
    if (first.kind !== 'word') {
      problems.push(problemOnValue(a, BAD_QUOTING + ignoresLine(a)));
      continue;
    }
    const rest = first.next === null ? null : a.value.slice(first.next);
    if (kind === 'set' && (rest === null || rest === '')) {
      problems.push(problemOnValue(a, `${a.key}= takes NAME:DATA, and '${a.value}' has no data${ignoresLine(a)}`));
      continue;
    }
    const idr = unitPrintf(first.word.word, ctx, 255);
    if (!idr.ok) {
      problems.push(problemAt(a, first.word.start, first.word.end, idr.message + ignoresLine(a)));
      continue;
    }
    if (!credentialNameValid(idr.value)) {
      problems.push(
        problemAt(
          a,
          first.word.start,
          first.word.end,
          `'${idr.value}' is not a valid credential name (a file name of printable ASCII without ':')${ignoresLine(a)}`,
        ),
      );
      continue;
    }
    let source: string | null = null;
    if (kind === 'load') {
      if (rest === null || rest === '') source = idr.value;
      else {
        const pr = unitPrintf(rest, ctx, PATH_PRINTF_MAX);
        if (!pr.ok) {
          problems.push(problemAt(a, first.next!, a.value.length, pr.message + ignoresLine(a)));
          continue;
        }
        const ok = pr.value.startsWith('/') ? pathIsNormalized(pr.value) : credentialNameValid(pr.value);
        if (!ok) {
          problems.push(
            problemAt(
              a,
              first.next!,
              a.value.length,
              `'${pr.value}' is neither a normalized absolute path nor a credential name${ignoresLine(a)}`,
            ),
          );
          continue;
        }
        source = pr.value;
      }
    } else if (encrypted && !isValidBase64(rest!)) {
      problems.push(problemAt(a, first.next!, a.value.length, `${a.key}= data must be Base64${ignoresLine(a)}`));
      continue;
    }
    map.set(idr.value, { id: idr.value, source, encrypted });
  }
  return { value: map, problems };
}

export interface Credentials {
  load: Credential[];
  set: Credential[];
}

/** `section` is the unit type's exec section (Service, Socket, ...). */
export function foldCredentials(
  all: readonly Assignment[],
  section: string,
  ctx: SpecifierContext,
): Folded<Credentials> {
  const pick = (keys: string[]) => all.filter((a) => a.section === section && keys.includes(a.key));
  const load = credentialFamily(pick(['LoadCredential', 'LoadCredentialEncrypted']), ctx, 'load');
  const set = credentialFamily(pick(['SetCredential', 'SetCredentialEncrypted']), ctx, 'set');
  return {
    value: { load: [...load.value.values()], set: [...set.value.values()] },
    problems: [...load.problems, ...set.problems],
  };
}
