/**
 * The quick fix that keeps the paths a service writes writable under ProtectSystem=strict, which mounts
 * /run read-only too (src/core/namespace.c, protect_system_strict_table: only /dev, /proc, /sys and, for
 * ProtectHome=, /home, /root, /run/user stay writable). [unit name, [Service] lines, the fix's line(s) or
 * null for no fix, what its title must also say].
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readWritePathsAction } from '../../server/src/features/code-actions';
import { buildUnit } from '../../server/src/model/build';

const cases: [string, string, string[] | null, string?][] = [
  // A file directly in /run: only /run itself can be made writable (a file that does not exist yet cannot be bound).
  ['nginx.service', 'PIDFile=/run/nginx.pid', ['ReadWritePaths=/run'], '/run/nginx.pid lies directly in /run'],
  ['nginx.service', 'PIDFile=/var/run/nginx.pid', ['ReadWritePaths=/run'], 'PIDFile='],
  ['foo.service', 'ExecStart=/usr/bin/foo --pid-file=/run/foo.pid', ['ReadWritePaths=/run'], 'ExecStart='],
  // The unit's own folder in /run: RuntimeDirectory= creates it, writable, at start.
  ['nginx.service', 'PIDFile=/run/nginx/nginx.pid', ['RuntimeDirectory=nginx'], 'PIDFile='],
  ['nginx.service', 'PIDFile=/run/nginx/sub/nginx.pid', ['RuntimeDirectory=nginx']],
  ['nginx.service', 'WorkingDirectory=/run/nginx', ['RuntimeDirectory=nginx']],
  // Someone else's folder (RuntimeDirectory= would take it over and remove it at stop) or a template's
  // (its instances would share one folder, removed when the first one stops): ReadWritePaths=.
  ['php8.2-fpm.service', 'PIDFile=/run/php/php8.2-fpm.pid', ['ReadWritePaths=-/run/php']],
  ['foo@a.service', 'PIDFile=/run/foo/a.pid', ['ReadWritePaths=-/run/foo']],
  // Several at once, and paths already writable by configuration.
  ['foo.service', 'PIDFile=/run/foo.pid\nWorkingDirectory=/var/lib/foo', ['ReadWritePaths=/run -/var/lib/foo']],
  [
    'foo.service',
    'PIDFile=/run/foo/foo.pid\nWorkingDirectory=/srv/foo',
    ['RuntimeDirectory=foo', 'ReadWritePaths=-/srv/foo'],
  ],
  ['nginx.service', 'PIDFile=/run/nginx.pid\nReadWritePaths=/run', null],
  ['nginx.service', 'PIDFile=/run/nginx.pid\nReadWritePaths=-/run/nginx.pid', null],
  ['nginx.service', 'PIDFile=/run/nginx/nginx.pid\nRuntimeDirectory=nginx', null],
  ['nginx.service', 'PIDFile=/var/lib/nginx/nginx.pid\nStateDirectory=nginx', null],
];

for (const [name, lines, fix, says] of cases) {
  test(`write paths: ${name} with ${lines.replace(/\n/g, ', ')}`, () => {
    const text = `[Service]\nExecStart=/usr/sbin/daemon\nProtectSystem=strict\n${lines}\n`;
    const model = buildUnit(name, [{ path: `/etc/systemd/system/${name}`, text }], { version: 252 });
    const action = readWritePathsAction(model, model.files[0]!);
    if (fix === null) return assert.equal(action, null, action?.title);
    assert.ok(action, 'no action');
    assert.equal(action.edits.length, 1);
    assert.equal(action.edits[0]!.newText, fix.join('\n') + '\n');
    assert.ok(action.title.startsWith(`Add ${fix.join(', ')} (`), action.title);
    if (says) assert.ok(action.title.includes(says), action.title);
  });
}
