/**
 * The suggestions' hold-backs live in one file per kind of setting (server/src/exposure/hold-backs/)
 * and meet in one map by setting: a setting named by two files would silently lose one of them, so
 * each setting has at most one, and the map holds every one the files declare.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOLD_BACKS } from '../../server/src/exposure/hold-backs';
import { FILE_SYSTEM_HOLD_BACKS } from '../../server/src/exposure/hold-backs/file-system';
import { KERNEL_AND_DEVICES_HOLD_BACKS } from '../../server/src/exposure/hold-backs/kernel-and-devices';
import { NETWORK_HOLD_BACKS } from '../../server/src/exposure/hold-backs/network';
import { PROCESSES_HOLD_BACKS } from '../../server/src/exposure/hold-backs/processes';
import { SET_ON_PURPOSE_HOLD_BACKS } from '../../server/src/exposure/hold-backs/set-on-purpose';
import { SYSTEM_CALL_HOLD_BACKS } from '../../server/src/exposure/hold-backs/system-calls';
import { USERS_AND_CAPABILITIES_HOLD_BACKS } from '../../server/src/exposure/hold-backs/users-and-capabilities';
import { directive } from '../../server/src/knowledge/directives';

const KINDS = {
  'file-system': FILE_SYSTEM_HOLD_BACKS,
  'kernel-and-devices': KERNEL_AND_DEVICES_HOLD_BACKS,
  network: NETWORK_HOLD_BACKS,
  processes: PROCESSES_HOLD_BACKS,
  'set-on-purpose': SET_ON_PURPOSE_HOLD_BACKS,
  'system-calls': SYSTEM_CALL_HOLD_BACKS,
  'users-and-capabilities': USERS_AND_CAPABILITIES_HOLD_BACKS,
};

test('each setting has at most one hold-back, and the map holds them all', () => {
  const owner = new Map<string, string>();
  for (const [kind, list] of Object.entries(KINDS)) {
    for (const [key, holdBack] of list) {
      assert.equal(owner.get(key), undefined, `${key}= has a hold-back in ${owner.get(key)} and in ${kind}`);
      owner.set(key, kind);
      assert.equal(HOLD_BACKS.get(key), holdBack, `${key}= (${kind}) is not the one in HOLD_BACKS`);
    }
  }
  assert.equal(HOLD_BACKS.size, owner.size);
});

test('every hold-back names a directive systemd knows', () => {
  for (const key of HOLD_BACKS.keys()) assert.ok(directive(key), `${key}= is not a directive`);
});
