/**
 * breaks-private-tmp: PrivateTmp=yes while the unit puts a socket for other processes under /tmp or
 * /var/tmp (evidence/shared-tmp.ts: `unix:/tmp/…`, `--socket=/tmp/…`, a `/tmp/….sock` path on a
 * command line or in Environment=). The service gets a /tmp of its own and creates the socket there;
 * its clients look in the host's /tmp and do not find it. The service starts and stays active, the
 * journal says nothing; the client does (booted: memcached with `-s /tmp/memcached.sock` under
 * Debian's PrivateTmp=true, test/boot/cases.json memcached-socket-private-tmp).
 */
import { lastAssignment } from '../model/build';
import { sharedTmp } from '../evidence/shared-tmp';
import { type Context, lineAfter, lineSpan } from './breakage-context';
import type { Diagnostic } from './diagnostic';

export function privateTmpBreakage(ctx: Context): Diagnostic[] {
  const { model, values } = ctx;
  if (values.privateTmp === 'no') return [];
  const line = lastAssignment(model, 'Service', 'PrivateTmp');
  if (!line) return [];
  const shared = sharedTmp(model);
  if (!shared) return [];
  const dir = shared.path.startsWith('/var/tmp/') ? '/var/tmp' : '/tmp';
  return [
    {
      code: 'breaks-private-tmp',
      severity: 'warning',
      message:
        `${line.key}=${line.value} gives ${ctx.name} a ${dir} of its own, but ${shared.where} puts ${shared.path} there for other processes: ` +
        `the service starts and stays active, but its clients look in the host's ${dir} and do not find it ` +
        '(booted: memcached with -s /tmp/memcached.sock, its client printed "nc: /tmp/memcached.sock: No such file or directory"). ' +
        "PrivateTmp=no after this line shares the host's /tmp again; a socket under /run (RuntimeDirectory=) would not need it.",
      file: line.file.path,
      span: lineSpan(line),
      fixes: [
        {
          title: "Share the host's /tmp (add PrivateTmp=no)",
          edits: [lineAfter(line, ['PrivateTmp=no'])],
          preferred: true,
        },
      ],
    },
  ];
}
