/**
 * What a service unit itself shows about its use of IP: strong evidence only, for the
 * breaks-private-network warning (rules/breaks-private-network.ts) and, as part of the weaker
 * evidence that holds a PrivateNetwork= suggestion back, for exposure/breakage.ts (so the product
 * never suggests PrivateNetwork=yes for a unit it would then warn about).
 *
 * Strong evidence: a known service that is reached over IP only (the `network` fact of
 * server/data/service-needs.json), an IP address with or without a port, a URL with a host or a
 * port option on a command line, IPAddressAllow=, or an allow-list of RestrictAddressFamilies= that
 * names AF_INET or AF_INET6. A socket-activated service is left alone: systemd opens its listening
 * sockets in the host's network namespace and passes them in, so it serves even with
 * PrivateNetwork=yes (systemd's own journal-remote and journal-gatewayd do so). After=network.target
 * alone is no evidence: most units order themselves after it.
 */
import { effectiveListAssignments } from '../model/build';
import type { UnitModel } from '../model/unit-model';
import type { ServiceNeeds } from '../knowledge/service-needs';

export interface IpUse {
  /** What shows it, in words that follow "because": quotes the unit's own line or the known fact. */
  evidence: string;
  /** The failure the user will see. */
  failure: string;
  /** The known service the evidence comes from (service-needs.json), when it does. */
  known?: ServiceNeeds;
}

const FAILURE =
  'the service starts and stays active, but nothing on the host reaches it: clients get "Connection refused" ' +
  '(booted with nginx: curl printed "Couldn\'t connect to server"), and it reaches no other host';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)';
/** An IPv4 address (with an optional port) as a word of its own: after a space, =, @, a comma or a quote. */
const IPV4 = new RegExp(`(?:^|[\\s=@,'"])(${OCTET}(?:\\.${OCTET}){3}(?::\\d{1,5})?)(?=$|[\\s,/'";])`);
/** An IPv6 address in brackets with a port ([::1]:8080). */
const IPV6_PORT = /(\[[0-9a-f:.]*:[0-9a-f:.]*\]:\d{1,5})\b/i;
/** localhost:PORT, a port on every address (:9100, =:9100), or a port option (--port=8080, --http-port 80). */
const PORT = /(?:^|[\s='"])((?:localhost)?:\d{2,5}|--?(?:[a-z][\w.-]*[-._])?port[= ]\d{1,5})(?=$|[\s,/'";])/i;
/** A URL with a host (http://example.org, redis://cache:6379); not unix:// or file:///. */
const URL = /\b(([a-z][a-z0-9+.-]*):\/\/[^\s/'"]+)/gi;

/** The first part of a command line that shows IP use, or null. */
export function ipInCommand(command: string): string | null {
  for (const m of command.matchAll(URL)) if (!/unix|file/i.test(m[2]!)) return m[1]!;
  return IPV4.exec(command)?.[1] ?? IPV6_PORT.exec(command)?.[1] ?? PORT.exec(command)?.[1] ?? null;
}

const EXEC_KEYS = ['ExecStartPre', 'ExecStart', 'ExecStartPost'];

/** Why the service looks socket-activated (Sockets=, or it requires or enables its own .socket unit), or null. */
export function socketActivated(model: UnitModel): string | null {
  const sockets = effectiveListAssignments(model, 'Service', 'Sockets').filter((a) => a.value.trim() !== '');
  if (sockets.length) return `Sockets=${sockets[sockets.length - 1]!.value.trim()}`;
  const stem = model.name.replace(/@.*$/, '').replace(/\.service$/, '');
  for (const key of ['Requires', 'Wants', 'BindsTo', 'Requisite']) {
    for (const a of model.settings.get(`Unit.${key}`) ?? [])
      if (a.value.split(/\s+/).includes(`${stem}.socket`)) return `${key}=${stem}.socket`;
  }
  for (const a of model.settings.get('Install.Also') ?? []) {
    const socket = a.value.split(/\s+/).find((w) => w.endsWith('.socket'));
    if (socket) return `Also=${socket}`;
  }
  return null;
}

/** An allow-list of RestrictAddressFamilies= that keeps AF_INET or AF_INET6: the line that adds it, or null. */
function inetAllowed(model: UnitModel): string | null {
  let allow: Set<string> | null = null;
  let line: string | null = null;
  for (const a of effectiveListAssignments(model, 'Service', 'RestrictAddressFamilies')) {
    const v = a.value.trim();
    if (v === 'none') {
      allow = new Set();
      continue;
    }
    const deny = v.startsWith('~');
    const words = (deny ? v.slice(1) : v)
      .split(/\s+/)
      .filter((w) => w !== '')
      .map((w) => w.toUpperCase());
    if (allow === null && deny) return null;
    allow ??= new Set();
    for (const w of words) {
      if (deny) allow.delete(w);
      else allow.add(w);
    }
    if (!deny && words.some((w) => w === 'AF_INET' || w === 'AF_INET6')) line = `RestrictAddressFamilies=${v}`;
  }
  return allow !== null && (allow.has('AF_INET') || allow.has('AF_INET6')) ? line : null;
}

/** Strong evidence that the service serves or connects over IP, or null (also for a socket-activated service). */
export function ipUse(model: UnitModel, known: ServiceNeeds | undefined): IpUse | null {
  if (socketActivated(model)) return null;
  if (known?.network) return { evidence: `${known.name} ${known.network.use}`, failure: known.network.failure, known };
  for (const key of EXEC_KEYS) {
    for (const a of effectiveListAssignments(model, 'Service', key)) {
      const found = ipInCommand(a.value);
      if (found) return { evidence: `its command line names ${found} (${key}=)`, failure: FAILURE };
    }
  }
  const allow = effectiveListAssignments(model, 'Service', 'IPAddressAllow').filter((a) => a.value.trim() !== '');
  if (allow.length)
    return {
      evidence: `it allows IP traffic to some addresses (IPAddressAllow=${allow[allow.length - 1]!.value.trim()})`,
      failure: FAILURE,
    };
  const families = inetAllowed(model);
  if (families) return { evidence: `its address families are IP ones (${families})`, failure: FAILURE };
  return null;
}
