/**
 * How the manager runs the service, besides its sandbox: default dependencies, the keyring, notify
 * access, cgroup delegation, the umask, and whether the user depends on the host.
 */
import type { Derivation } from './environment';

export const defaultDependencies: Derivation = {
  reads: ['defaultDependencies'],
  writes: ['defaultDependencies'],
  run: (out, values) => {
    out.defaultDependencies = values.defaultDependencies;
  },
};

export const keyringMode: Derivation = {
  reads: ['keyringMode'],
  writes: ['keyringMode'],
  run: (out, values, env) => {
    out.keyringMode = env.hasExec ? values.keyringMode : null;
  },
};

export const notifyAccess: Derivation = {
  reads: ['notifyAccess'],
  writes: ['notifyAccess'],
  run: (out, values, env) => {
    out.notifyAccess = env.isService ? values.notifyAccess : null;
  },
};

export const delegate: Derivation = {
  reads: ['delegate'],
  writes: ['delegate'],
  run: (out, values, env) => {
    out.delegate = env.hasCgroup && values.delegate.enabled;
  },
};

export const umask: Derivation = {
  reads: ['umask'],
  writes: ['umask'],
  run: (out, values, env) => {
    out.umask = env.hasExec ? values.umask : 0o002;
  },
};

export const hostDependent: Derivation = {
  reads: ['userHostDependent'],
  writes: ['hostDependent'],
  run: (out, values) => {
    out.hostDependent = values.userHostDependent;
  },
};
