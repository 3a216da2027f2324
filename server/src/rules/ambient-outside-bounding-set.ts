/**
 * ambient-outside-bounding-set (a contradiction, not a breakage: mariadb ran healthy without its
 * CAP_IPC_LOCK): AmbientCapabilities= grants a capability CapabilityBoundingSet= leaves out: systemd
 * cannot raise it, so the service runs without it (booted: CapAmb 0, the unit still starts).
 */
import { lastAssignment } from '../model/build';
import { capabilityByNumber } from '../knowledge/vocabulary';
import { type Context, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic } from './diagnostic';

export function ambientOutsideBoundingSet(ctx: Context): Diagnostic[] {
  const { model, values } = ctx;
  const lost = values.ambientCapabilities & ~values.capabilityBoundingSet;
  const capLine = lastAssignment(model, 'Service', 'CapabilityBoundingSet');
  if (lost === 0n || !capLine) return [];
  const names: string[] = [];
  for (let n = 0; n < 64; n++)
    if ((lost >> BigInt(n)) & 1n) names.push(capabilityByNumber(n)?.name ?? `capability ${n}`);
  const line = `CapabilityBoundingSet=${names.join(' ')}`;
  const them = names.length === 1 ? 'it' : 'them';
  return [
    {
      code: 'ambient-outside-bounding-set',
      severity: 'warning',
      message:
        `AmbientCapabilities= grants ${names.join(', ')}, but CapabilityBoundingSet= leaves ${them} out: an ambient capability cannot exceed the bounding set, so ${ctx.name} runs without ${them}: ` +
        `whatever needs ${them} fails (for CAP_NET_BIND_SERVICE: bind() to a port below 1024 fails with "Permission denied"). Keep ${them} with ${line} after this line, or drop ${them} from AmbientCapabilities=.`,
      file: capLine.file.path,
      span: lineSpan(capLine),
      fixes: [
        { title: `Keep ${names.join(', ')} (add ${line})`, edits: [lineAfter(capLine, [line])], preferred: true },
      ],
    },
  ];
}
