/**
 * Hold-backs of the settings that limit what the service's processes see and do: the namespaces a
 * program of the unit creates, the processes a known monitoring agent watches.
 */
import type { HoldBacks } from './hold-back';

export const PROCESSES_HOLD_BACKS: HoldBacks = [
  [
    'RestrictNamespaces',
    // Any line, whatever types it leaves: breaks-restrict-namespaces warns on fewer (only a type the command line asks for).
    (_model, facts) => {
      const bin = facts.namespaceCreator();
      return bin ? `${bin} creates namespaces, which RestrictNamespaces= may take away` : null;
    },
  ],
  [
    'ProtectProc',
    (_model, facts, value) => {
      const needs = facts.serviceNeeds();
      return value === 'invisible' && needs?.processes ? `${needs.name} ${needs.processes.use}` : null;
    },
  ],
];
