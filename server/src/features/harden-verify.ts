/**
 * What the recommended drop-in asks the administrator to check once it is in place (features/harden.ts):
 * the profile's checks or generic ones, and the exposure the running manager prints.
 */
import type { UnitModel } from '../model/unit-model';
import type { Policy, ScoreResult } from '../exposure';
import type { ServiceProfile } from '../knowledge/service-profiles';
import { figureOf, otherFigure } from './figures';

/** What the running manager prints for the unit scored `r` (the other figure where the model's is offline), or null. */
export function runningFigure(model: UnitModel, r: ScoreResult, policy: Policy | undefined): string | null {
  if (!r.exposure) return null;
  if (figureOf(model) === 'running') return r.exposure.text;
  const other = otherFigure(model, r, { policy });
  return other?.figure === 'running' ? other.exposure.toFixed(1) : r.exposure.text;
}

export function verifyList(
  name: string,
  profile: ServiceProfile | null,
  after: ScoreResult,
  running: string | null,
): string[] {
  const out: string[] = [];
  // A generic kind's checks say NAME for the unit.
  if (profile) for (const v of profile.verify) out.push(v.replace(/\bNAME\b/g, name));
  else
    out.push(
      `systemctl daemon-reload && systemctl restart ${name} && systemctl is-active ${name}`,
      `journalctl -u ${name} -b has no 'Permission denied', 'Read-only file system', 'Operation not permitted' or 'status=31/SYS'`,
      `${name} still does its work (its own health check)`,
    );
  if (after.exposure && running !== null)
    out.push(
      running === after.exposure.text
        ? `systemd-analyze security ${name} prints ${running} once the unit runs with the drop-in`
        : `systemd-analyze security ${name} prints ${running} once the unit runs with the drop-in (the running manager's figure; the file's is ${after.exposure.text})`,
    );
  return out;
}
