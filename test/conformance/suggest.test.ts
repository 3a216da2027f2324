/**
 * Predicted deltas against the real binaries: for a few units, each suggestion's lines (and the
 * whole safe set) are put in a drop-in and scored by systemd-analyze; the exposure must be the one
 * suggest() predicted. Versions whose binary is missing are skipped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggest } from '../../server/src/exposure/suggest';
import { buildUnit } from '../../server/src/model/build';
import { analysedUnitName } from '../../server/src/model/security-inputs';
import { ORACLE_VERSIONS, oraclePath } from '../oracle';
import { oracle, skipUnless } from '../requirements';
import { oracleScore, placeCase, type SyntheticCase } from './exposure-oracle';

const UNITS: SyntheticCase[] = [
  { name: 'bare.service', text: '[Service]\nExecStart=/usr/bin/daemon\n' },
  {
    name: 'partly@.service',
    text:
      '[Unit]\nDescription=partly hardened\n[Service]\nExecStart=/usr/bin/daemon %i\nUser=svc\nSupplementaryGroups=adm\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n' +
      'CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SYS_ADMIN\nSystemCallFilter=@system-service\nRestrictAddressFamilies=AF_UNIX AF_INET AF_BLUETOOTH\n' +
      'IPAddressDeny=any\nIPAddressAllow=10.0.0.0/8\nDevicePolicy=closed\nDeviceAllow=/dev/null rw\nProtectClock=yes\nSystemCallArchitectures=native x86\n' +
      'RestrictNamespaces=net ipc\nUMask=0002\nNotifyAccess=all\nDelegate=yes\nProtectProc=noaccess\n',
  },
  {
    name: 'early.service',
    text: '[Unit]\nDefaultDependencies=no\n[Service]\nType=oneshot\nExecStart=/bin/true\nDynamicUser=yes\nSystemCallFilter=~@swap\n',
  },
];

for (const version of ORACLE_VERSIONS) {
  const bin = oraclePath(version);
  test(`suggestions predict systemd-analyze ${version}`, { skip: skipUnless(oracle(version)) }, () => {
    const failures: string[] = [];
    let checked = 0;
    for (const u of UNITS) {
      const model = buildUnit(analysedUnitName(u.name, version), placeCase(u, version), { version });
      const r = suggest(model, { version, seccompTable: 'oracle' });
      assert.ok(r.suggestions.length > 0, `${u.name}: no suggestions`);
      const sets = r.suggestions.map((s) => ({ lines: s.lines, tenths: s.exposure.tenths }));
      if (r.safeSet) sets.push({ lines: r.safeSet.lines, tenths: r.safeSet.exposure.tenths });
      for (const s of sets) {
        checked++;
        const o = oracleScore(
          bin!,
          { ...u, dropins: [...(u.dropins ?? []), `[Service]\n${s.lines.join('\n')}\n`] },
          version,
        );
        if (!o) failures.push(`${u.name} + ${JSON.stringify(s.lines)}: systemd refused the unit`);
        else if (o.tenths !== s.tenths)
          failures.push(`${u.name} + ${JSON.stringify(s.lines)}: predicted ${s.tenths}, systemd ${o.tenths}`);
      }
    }
    assert.ok(checked > 50);
    assert.equal(failures.length, 0, failures.slice(0, 10).join('\n'));
  });
}
