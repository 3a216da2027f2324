/**
 * Hold-backs of the system-call settings: a deny-list keeps the calls the known service makes, a JIT
 * runtime keeps writable and executable memory.
 */
import { syscallGroupMembers } from '../../model/values/name-lookups';
import { isJitRuntime } from '../../knowledge/runtimes';
import type { HoldBack, HoldBacks } from './hold-back';

/** Whether a filter word (a call, `call:ERRNO` or a group, nested groups followed) names `call`. */
function wordMatches(version: number, word: string, call: string, seen: Set<string>): boolean {
  const name = word.split(':')[0]!;
  if (name === call) return true;
  if (!name.startsWith('@') || seen.has(name)) return false;
  seen.add(name);
  return (syscallGroupMembers(version, name) ?? []).some((m) => wordMatches(version, m, call, seen));
}

/** The calls a `~` list of SystemCallFilter= would deny that the known service makes. */
const syscallFilterHoldBack: HoldBack = (model, facts, value) => {
  const needs = facts.serviceNeeds();
  if (!needs || !value.startsWith('~')) return null;
  const calls = [
    ...(facts.startsAsRoot() ? (needs.switchesUser?.calls ?? []) : []),
    ...(needs.syscalls ?? []).map((c) => c.name),
  ];
  const words = value
    .slice(1)
    .split(/\s+/)
    .filter((w) => w !== '');
  const denied = calls.filter((c) => words.some((w) => wordMatches(model.version, w, c, new Set())));
  return denied.length ? `${needs.name} calls ${denied.join(', ')}, which the filter would deny` : null;
};

export const SYSTEM_CALL_HOLD_BACKS: HoldBacks = [
  ['SystemCallFilter', syscallFilterHoldBack],
  [
    'MemoryDenyWriteExecute',
    (_model, facts) =>
      facts.startPrograms.some(isJitRuntime)
        ? 'the service is a runtime that compiles code at run time (JIT), which needs writable and executable memory'
        : null,
  ],
];
