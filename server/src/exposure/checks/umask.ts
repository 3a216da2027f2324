/** assess_umask(): how far files the service creates are open by default. */
import { type AssessFn, plain } from './assessment';

export const assessUMask: AssessFn = (_a, info) => {
  const m = info.umask;
  if (!(m & 0o002)) return plain(10, 'Files created by service are world-writable by default');
  if (!(m & 0o004)) return plain(5, 'Files created by service are world-readable by default');
  if (!(m & 0o020)) return plain(2, 'Files created by service are group-writable by default');
  if (!(m & 0o040)) return plain(1, 'Files created by service are group-readable by default');
  return plain(0, "Files created by service are accessible only by service's own user by default");
};
