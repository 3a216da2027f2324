/**
 * Hardening profiles (server/data/service-profiles/ID.json, schema server/data/schemas/service-profiles.schema.json): the
 * drop-in `harden` recommends for one known service (kind "service", matched through its entry in
 * service-needs.json) or for one kind of service (kind "generic", chosen by what the unit shows).
 * Each file is imported here by name: the core reads no disk.
 */
import certbot from '../../data/service-profiles/certbot.json';
import chrony from '../../data/service-profiles/chrony.json';
import containerd from '../../data/service-profiles/containerd.json';
import docker from '../../data/service-profiles/docker.json';
import elasticsearch from '../../data/service-profiles/elasticsearch.json';
import fail2ban from '../../data/service-profiles/fail2ban.json';
import grafana from '../../data/service-profiles/grafana.json';
import prometheus from '../../data/service-profiles/prometheus.json';
import unbound from '../../data/service-profiles/unbound.json';
import genericBatchJob from '../../data/service-profiles/generic-batch-job.json';
import genericDatabase from '../../data/service-profiles/generic-database.json';
import genericDbusService from '../../data/service-profiles/generic-dbus-service.json';
import genericNetworkDaemon from '../../data/service-profiles/generic-network-daemon.json';
import genericTimerJob from '../../data/service-profiles/generic-timer-job.json';
import genericWebApp from '../../data/service-profiles/generic-web-app.json';
import genericWebServer from '../../data/service-profiles/generic-web-server.json';
import haproxy from '../../data/service-profiles/haproxy.json';
import mariadb from '../../data/service-profiles/mariadb.json';
import memcached from '../../data/service-profiles/memcached.json';
import nginx from '../../data/service-profiles/nginx.json';
import nodeExporter from '../../data/service-profiles/node-exporter.json';
import processExporter from '../../data/service-profiles/process-exporter.json';
import postgresql from '../../data/service-profiles/postgresql.json';
import redis from '../../data/service-profiles/redis.json';

export interface ProfileGroup {
  comment: string;
  lines: readonly string[];
}

export interface LeftOpen {
  setting: string;
  why: string;
}

export interface Measurement {
  guest: string;
  systemd: number;
  offline: number;
  running?: number | null;
  healthy: boolean | null;
  bootSeconds?: number;
}

export interface ServiceProfile {
  id: string;
  kind: 'service' | 'generic';
  title: string;
  /** kind=service: the name of its entry in service-needs.json. */
  needs?: string;
  /** kind=generic: in words, what in a unit selects it. */
  evidence?: string;
  description?: string;
  assumes: string;
  groups: readonly ProfileGroup[];
  leftOpen: readonly LeftOpen[];
  verify: readonly string[];
  versions?: readonly { from: number; note: string }[];
  boot: { service?: string; cannot?: string };
  measured: readonly Measurement[];
  /** The file's header: what it holds and the boot cases, needs and configuration files it rests on. */
  header: { description: string; source: string | readonly string[] };
}

export const SERVICE_PROFILES: readonly ServiceProfile[] = [
  nginx,
  redis,
  postgresql,
  mariadb,
  memcached,
  haproxy,
  nodeExporter,
  processExporter,
  prometheus,
  grafana,
  elasticsearch,
  chrony,
  unbound,
  fail2ban,
  certbot,
  docker,
  containerd,
  // Generic kinds: the first whose evidence a unit shows is chosen (features/harden-select.ts).
  genericDbusService,
  genericWebServer,
  genericWebApp,
  genericBatchJob,
  genericNetworkDaemon,
  genericDatabase,
  genericTimerJob,
] as ServiceProfile[];

const BY_ID = new Map<string, ServiceProfile>(SERVICE_PROFILES.map((p) => [p.id, p]));
const BY_NEEDS = new Map<string, ServiceProfile>();
for (const p of SERVICE_PROFILES) if (p.kind === 'service' && p.needs) BY_NEEDS.set(p.needs, p);

export function profileById(id: string): ServiceProfile | undefined {
  return BY_ID.get(id);
}

/** The profile of a service-needs.json entry, by that entry's name. */
export function profileForNeeds(needsName: string): ServiceProfile | undefined {
  return BY_NEEDS.get(needsName);
}

/** A placeholder `${name:default}`: a value only the administrator can choose. */
export const PLACEHOLDER = /\$\{([a-z]+):([^}]*)\}/g;

/** A line with each placeholder replaced by its default. */
export function withDefaults(line: string): string {
  return line.replace(PLACEHOLDER, '$2');
}
