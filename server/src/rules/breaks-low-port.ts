/**
 * breaks-low-port: the service runs as a user other than root (User=, or DynamicUser=yes) and the
 * unit says it listens on a port below 1024 (evidence/low-port.ts), but AmbientCapabilities= does not
 * grant CAP_NET_BIND_SERVICE: bind() fails with EACCES and the program exits. Booted on Debian 12
 * (test/boot/cases.json node-app-low-port): node-app with Environment=PORT=80 as www-data logs
 * "Error: listen EACCES: permission denied 127.0.0.1:80" and restarts; with
 * AmbientCapabilities=CAP_NET_BIND_SERVICE it serves.
 *
 * Not for a main command with `+` or `!` (it runs as root), nor for a user systemd finds to be root
 * (User=root, 0). The fix adds the ambient capability after the line that makes the user non-root,
 * and the capability to the bounding set when CapabilityBoundingSet= leaves it out (an ambient
 * capability cannot exceed the bounding set).
 */
import { lastAssignment } from '../model/build';
import type { Assignment } from '../model/unit-model';
import { lowPort } from '../evidence/low-port';
import { alwaysStaticUser } from '../knowledge/static-users';
import { type Context, later, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic } from './diagnostic';

const CAP_NET_BIND_SERVICE = 1n << 10n;

/** The line that makes the service run as a user other than root, or null when it runs as root. */
function nonRootLine(ctx: Context): { line: Assignment; who: string } | null {
  const { model, values } = ctx;
  const user = values.user ?? '';
  if (alwaysStaticUser(user) === 'root') return null;
  const userLine = values.user !== null ? lastAssignment(model, 'Service', 'User') : undefined;
  const dynamicLine = values.dynamicUser ? lastAssignment(model, 'Service', 'DynamicUser') : undefined;
  // The line systemd reads last of the two decides where the warning goes (drop-ins come after the unit).
  const candidates = [userLine, dynamicLine].filter((a): a is Assignment => a !== undefined);
  if (candidates.length === 0) return null;
  const line = candidates.reduce(later);
  const who = values.dynamicUser ? (user ? `the dynamic user ${user}` : 'a dynamic user') : `User=${user}`;
  return { line, who };
}

export function lowPortBreakage(ctx: Context): Diagnostic[] {
  const { model, values, needs } = ctx;
  const main = values.exec.ExecStart[0];
  if (!main || main.fullyPrivileged || main.noSetuid) return [];
  if ((values.ambientCapabilities & CAP_NET_BIND_SERVICE) !== 0n) return [];
  const runAs = nonRootLine(ctx);
  if (!runAs) return [];
  const port = lowPort(model, needs);
  if (!port) return [];
  const lines = ['AmbientCapabilities=CAP_NET_BIND_SERVICE'];
  if ((values.capabilityBoundingSet & CAP_NET_BIND_SERVICE) === 0n)
    lines.push('CapabilityBoundingSet=CAP_NET_BIND_SERVICE');
  // An empty AmbientCapabilities= after the user line (the generic block's) is what takes the capability
  // away: the warning goes there. The fix goes after every line it must follow, or a later reset would undo it.
  const latest = (list: (Assignment | undefined)[]): Assignment =>
    list.filter((a): a is Assignment => a !== undefined).reduce(later);
  const ambient = lastAssignment(model, 'Service', 'AmbientCapabilities');
  const reset = ambient && ambient.value.trim() === '' && later(ambient, runAs.line) === ambient ? ambient : undefined;
  const at = reset ?? runAs.line;
  const after = latest([runAs.line, ambient, lastAssignment(model, 'Service', 'CapabilityBoundingSet')]);
  return [
    {
      code: 'breaks-low-port',
      severity: 'warning',
      message:
        `${ctx.name} runs as ${runAs.who}, not root, and ${port.evidence}${reset ? ', but this line empties AmbientCapabilities=' : ''}: a port below 1024 needs CAP_NET_BIND_SERVICE, so bind() fails with ` +
        `"Permission denied" and the program exits (booted: Node.js logs "Error: listen EACCES: permission denied 127.0.0.1:80"). ` +
        `${lines.join(', ')} after ${after === at ? 'this line' : 'the last of these settings'} lets it bind the port and nothing else.`,
      file: at.file.path,
      span: lineSpan(at),
      fixes: [
        {
          title: `Let it bind port ${port.port} (add ${lines.join(', ')})`,
          edits: [lineAfter(after, lines)],
          preferred: true,
        },
      ],
    },
  ];
}
