/**
 * A port below 1024 that a service unit itself says its program listens on, for breaks-low-port
 * (rules/breaks-low-port.ts) and the DynamicUser= hold-back of exposure/breakage.ts. Binding such a
 * port needs CAP_NET_BIND_SERVICE, which a process running as a user other than root has only
 * through AmbientCapabilities=.
 *
 * Strong evidence only, read from the unit's own lines:
 *  - an environment variable that names a port, the convention of Node.js, Python and Go web
 *    applications: Environment=PORT=80, HTTP_PORT=80, LISTEN_PORT=443;
 *  - an option on a command line that says where to listen: --port 80, --port=80, --http-port=80,
 *    --listen :443, --listen=0.0.0.0:80, --bind [::]:80, --web.listen-address=:80;
 *  - a known service's port (server/data/service-needs.json), unless it starts as root and switches
 *    user itself (then User= breaks it in other ways first: nginx as www-data fails on its PID file).
 * A URL is no evidence (it may be where the service connects to), and neither is a socket-activated
 * service: systemd binds its sockets as root and passes them in.
 */
import { effectiveListAssignments } from '../model/build';
import type { UnitModel } from '../model/unit-model';
import type { ServiceNeeds } from '../knowledge/service-needs';
import { socketActivated } from './network-use';

export interface LowPort {
  port: number;
  /** What shows it, quoting the unit's line or the known fact. */
  evidence: string;
}

/** PORT=80, HTTP_PORT=80, LISTEN_PORT=443 in an Environment= line (one assignment per word). */
const ENV_PORT = /^(?:[A-Z0-9_]*_)?PORT=(\d{1,5})$/;
/** A listen/bind/port option and its value, joined by = or a space. */
const OPTION = /(?:^|\s)(--?(?:[a-z][\w.-]*[-._])?(?:port|listen|bind)(?:[-._]address)?)(?:=|\s+)(\S+)/gi;
/** The port at the end of a listen address: 80, :80, 0.0.0.0:80, [::]:80, localhost:80. */
const ADDRESS_PORT = /^(?:(?:\[[0-9a-f:.]*\]|[\w.-]*)?:)?(\d{1,5})$/i;

function low(n: number): boolean {
  return n > 0 && n < 1024;
}

/** The words of an Environment= value, quotes removed (systemd splits on spaces outside quotes). */
function envWords(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** The first option of a command line that listens on a port below 1024, or null. */
export function lowPortInCommand(command: string): { port: number; option: string } | null {
  for (const m of command.matchAll(OPTION)) {
    const value = m[2]!.replace(/^['"]|['"]$/g, '');
    const p = ADDRESS_PORT.exec(value);
    if (p && low(Number(p[1])))
      return { port: Number(p[1]), option: `${m[1]}${m[0].includes('=') ? '=' : ' '}${value}` };
  }
  return null;
}

/** A port below 1024 the unit's program listens on, from the unit itself or a known service's facts, or null. */
export function lowPort(model: UnitModel, known: ServiceNeeds | undefined): LowPort | null {
  if (socketActivated(model)) return null;
  for (const a of effectiveListAssignments(model, 'Service', 'Environment')) {
    for (const w of envWords(a.value)) {
      const m = ENV_PORT.exec(w);
      if (m && low(Number(m[1])))
        return { port: Number(m[1]), evidence: `Environment=${w} asks it to listen on port ${m[1]}` };
    }
  }
  for (const key of ['ExecStart', 'ExecStartPost']) {
    for (const a of effectiveListAssignments(model, 'Service', key)) {
      if (/^[-@:]*[+!]/.test(a.value.trim())) continue; // + and ! run as root: the bind works.
      const found = lowPortInCommand(a.value);
      if (found)
        return { port: found.port, evidence: `its command line listens on port ${found.port} (${found.option})` };
    }
  }
  if (known && !known.switchesUser) {
    const port = known.ports?.find((p) => low(p.port));
    if (port) return { port: port.port, evidence: `${known.name} listens on port ${port.port} (${port.source})` };
  }
  return null;
}
