/**
 * breaks-private-network: PrivateNetwork=yes on a service that serves or connects over IP. The
 * service gets a network namespace of its own with only a loopback device: it starts and stays
 * active, but nothing on the host reaches its ports and it reaches no other host. The journal shows
 * nothing; the client does (booted: nginx with PrivateNetwork=yes is active and curl gets
 * "Couldn't connect to server", test/boot/cases.json nginx-private-network).
 *
 * Only on strong evidence (evidence/network-use.ts): a known service reached over IP only, an address,
 * URL or port on a command line, IPAddressAllow=, or an allow-list of IP address families. Never for a
 * socket-activated service: systemd opens its listening sockets in the host's namespace and passes
 * them in, so it serves with PrivateNetwork=yes (systemd-journal-remote does so).
 */
import { lastAssignment } from '../model/build';
import { ipUse } from '../evidence/network-use';
import { assumed, type Context, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic } from './diagnostic';

export function privateNetworkBreakage(ctx: Context): Diagnostic[] {
  const { model, values, needs } = ctx;
  if (!values.booleans.PrivateNetwork) return [];
  const line = lastAssignment(model, 'Service', 'PrivateNetwork');
  if (!line) return [];
  const use = ipUse(model, needs);
  if (!use) return [];
  const assumption = use.known ? ` ${assumed(use.known)}` : '';
  return [
    {
      code: 'breaks-private-network',
      severity: 'warning',
      message:
        `PrivateNetwork=yes gives ${ctx.name} a network of its own with only a loopback device, but ${use.evidence}: ${use.failure}${assumption}. ` +
        "PrivateNetwork=no after this line gives it the host's network back.",
      file: line.file.path,
      span: lineSpan(line),
      fixes: [
        {
          title: "Keep the host's network (add PrivateNetwork=no)",
          edits: [lineAfter(line, ['PrivateNetwork=no'])],
          preferred: true,
        },
      ],
    },
  ];
}
