import type { UnitType } from './unit-name';

/** The sections each unit type accepts (the `.sections` of its vtable in src/core/TYPE.c). */
export function sectionsOf(type: UnitType | null): readonly string[] {
  switch (type) {
    case 'service':
      return ['Unit', 'Service', 'Install'];
    case 'socket':
      return ['Unit', 'Socket', 'Install'];
    case 'target':
      return ['Unit', 'Target', 'Install'];
    case 'device':
      return ['Unit', 'Device', 'Install'];
    case 'mount':
      return ['Unit', 'Mount', 'Install'];
    case 'automount':
      return ['Unit', 'Automount', 'Install'];
    case 'swap':
      return ['Unit', 'Swap', 'Install'];
    case 'timer':
      return ['Unit', 'Timer', 'Install'];
    case 'path':
      return ['Unit', 'Path', 'Install'];
    case 'slice':
      return ['Unit', 'Slice', 'Install'];
    case 'scope':
      return ['Unit', 'Scope', 'Install'];
    default:
      return ['Unit', 'Service', 'Install'];
  }
}

/** The section holding exec/cgroup settings for each unit type that has them. */
export function execSectionOf(type: string | null): string | null {
  switch (type) {
    case 'service':
    case null:
      return 'Service';
    case 'socket':
      return 'Socket';
    case 'mount':
      return 'Mount';
    case 'swap':
      return 'Swap';
    default:
      return null;
  }
}

export function cgroupSectionOf(type: string | null): string | null {
  if (type === 'slice') return 'Slice';
  if (type === 'scope') return 'Scope';
  return execSectionOf(type);
}

/** Whether the unit type has exec settings (services, sockets, mounts, swaps). */
export function hasExecContext(type: string | null): boolean {
  return execSectionOf(type) !== null;
}
