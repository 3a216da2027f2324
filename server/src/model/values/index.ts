/**
 * Typed values of the settings `systemd-analyze security` reads, folded from a unit's ordered
 * assignments the way systemd's config_parse_* functions do it at load time. One file per kind of
 * value; every fold is pure and total and returns the problems systemd logs or refuses the unit for.
 */
export * from './folded';
export * from './words';
export * from './numbers';
export * from './specifiers';
export * from './booleans';
export * from './enums';
export * from './user';
export * from './capabilities';
export * from './syscalls';
export * from './namespaces';
export * from './address-families';
export * from './ip-address';
export * from './device-allow';
export * from './delegate';
export * from './umask';
export * from './paths';
export * from './exec';
export * from './service-settings';

export { TYPED_SETTINGS, valueProblems, typedValues, type TypedValues } from '../security-inputs';
