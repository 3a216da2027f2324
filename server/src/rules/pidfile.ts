/**
 * A PID file the service cannot write: ProtectSystem=strict (set, or implied by DynamicUser=yes) mounts
 * the whole file system read-only but /dev, /proc and /sys (src/core/namespace.c,
 * protect_system_strict_table), /run and /var included, so a daemon whose PIDFile= lies outside the
 * folders its unit makes writable fails to write it, and for Type=forking systemd gives up waiting for it. The fix is
 * the one of the written-paths code action (evidence/write-paths.ts): RuntimeDirectory= for the unit's
 * own /run folder, ReadWritePaths= otherwise.
 */
import { lastAssignment } from '../model/build';
import { typedValues } from '../model/security-inputs';
import type { LoadedFile, UnitModel } from '../model/unit-model';
import { inferWritePaths, writePathLines } from '../evidence/write-paths';
import { insertionFor } from './sandbox';
import type { Diagnostic } from './diagnostic';

export function pidFileDiagnostics(model: UnitModel, file: LoadedFile): Diagnostic[] {
  if (model.type !== 'service') return [];
  const pid = lastAssignment(model, 'Service', 'PIDFile');
  if (!pid || pid.file !== file) return [];
  const values = typedValues(model).value;
  // Only Type=forking makes systemd wait for the PID file; other types start without it (memcached's
  // wrapper, Type=simple, booted healthy with its PID file read-only).
  if (values.service.type !== 'forking') return [];
  if (values.protectSystem !== 'strict' && !values.dynamicUser) return [];
  const written = inferWritePaths(model).find((w) => w.from === pid);
  if (!written) return [];
  const lines = writePathLines(model, [written]);
  const why =
    values.protectSystem === 'strict' ? 'ProtectSystem=strict' : 'DynamicUser=yes (which implies ProtectSystem=strict)';
  const folder = written.file !== undefined ? '/run' : written.path;
  const path = written.file ?? pid.value;
  return [
    {
      code: 'read-only-pidfile',
      severity: 'warning',
      message: `${why} makes ${folder} read-only for the service, so it cannot write its PID file ${path}. ${lines.join(', ')} keeps it writable.`,
      file: file.path,
      span: pid.entry.valueSpan,
      fixes: [{ title: `Add ${lines.join(', ')}`, edits: [insertionFor(file, lines)], preferred: true }],
    },
  ];
}
