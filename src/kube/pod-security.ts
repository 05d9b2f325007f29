import { UsageError } from '../errors.js';
import { record } from './objects.js';
import { judges, type PodSecurityLevel } from './pod-security-level.js';
import type { PodTemplate } from './pods.js';

/**
 * What the Pod Security Standards say differs by Kubernetes version (the Pod Security Admission
 * library's versioned checks): the safe sysctls grow, controls are added, Windows pods became
 * exempt from the Linux-only restricted controls. Everything here follows that library; its own
 * test data (test/fixtures/check/pod-security-admission) is the conformance test.
 */
export interface KubeVersion {
  readonly major: 1;
  readonly minor: number;
}

/** The version slipway targets when none is chosen: its bundled schema's. */
export const DEFAULT_KUBE_VERSION = '1.35';

/** Oldest version judged: 1.25 made Windows pods exempt and settled the restricted controls. */
const OLDEST_MINOR = 25;

/** `1.35`, `v1.35` or `1.35.8` (the patch level changes no policy). */
export function parseKubeVersion(text: string): KubeVersion {
  const match = /^v?1\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  const minor = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(minor) || minor < OLDEST_MINOR) {
    throw new UsageError(`unsupported Kubernetes version ${JSON.stringify(text)}`, {
      fix: `give a version from 1.${OLDEST_MINOR} on as MAJOR.MINOR, e.g. --kube-version ${DEFAULT_KUBE_VERSION}`,
    });
  }
  return { major: 1, minor };
}

export function formatKubeVersion(version: KubeVersion): string {
  return `${version.major}.${version.minor}`;
}

/** The safe sysctls of the baseline level, as each release widened them. */
const SYSCTLS_BY_VERSION: readonly (readonly [number, readonly string[]])[] = [
  [
    0,
    [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [
    29,
    [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  ],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

export function safeSysctls(version: KubeVersion): ReadonlySet<string> {
  return new Set(
    SYSCTLS_BY_VERSION.filter(([since]) => version.minor >= since).flatMap(([, names]) => names),
  );
}

/** The probe and lifecycle `host` control exists from 1.34 on. */
export function judgesProbeHosts(version: KubeVersion): boolean {
  return version.minor >= 34;
}

/**
 * `spec.os.name: windows`: the restricted controls that only mean something on Linux
 * (allowPrivilegeEscalation, capabilities, seccomp) do not apply to it.
 */
export function isWindowsPod(pod: PodTemplate): boolean {
  return record(pod.spec.os)?.name === 'windows';
}

/** The level a control belongs to: "restricted" holds every baseline control and its own. */
export type ControlLevel = Exclude<PodSecurityLevel, 'privileged'>;

/** Each control of the standard (the admission library's check ids) and the rule that judges it. */
export const POD_SECURITY_CONTROLS: readonly {
  readonly control: string;
  readonly level: ControlLevel;
  readonly rule: string;
}[] = [
  { control: 'hostNamespaces', level: 'baseline', rule: 'SLW-K006' },
  { control: 'privileged', level: 'baseline', rule: 'SLW-K007' },
  { control: 'windowsHostProcess', level: 'baseline', rule: 'SLW-K007' },
  { control: 'capabilities_baseline', level: 'baseline', rule: 'SLW-K004' },
  { control: 'hostPathVolumes', level: 'baseline', rule: 'SLW-K008' },
  { control: 'hostPorts', level: 'baseline', rule: 'SLW-K009' },
  { control: 'hostProbesAndHostLifecycle', level: 'baseline', rule: 'SLW-K022' },
  { control: 'appArmorProfile', level: 'baseline', rule: 'SLW-K012' },
  { control: 'seLinuxOptions', level: 'baseline', rule: 'SLW-K013' },
  { control: 'procMount', level: 'baseline', rule: 'SLW-K010' },
  { control: 'seccompProfile_baseline', level: 'baseline', rule: 'SLW-K005' },
  { control: 'sysctls', level: 'baseline', rule: 'SLW-K011' },
  { control: 'restrictedVolumes', level: 'restricted', rule: 'SLW-K008' },
  { control: 'allowPrivilegeEscalation', level: 'restricted', rule: 'SLW-K003' },
  { control: 'runAsNonRoot', level: 'restricted', rule: 'SLW-K002' },
  { control: 'runAsUser', level: 'restricted', rule: 'SLW-K002' },
  { control: 'seccompProfile_restricted', level: 'restricted', rule: 'SLW-K005' },
  { control: 'capabilities_restricted', level: 'restricted', rule: 'SLW-K004' },
  { control: 'procMount_restricted', level: 'restricted', rule: 'SLW-K010' },
];

/** The rules that together judge a level ("restricted" includes "baseline"; "privileged" has none). */
export function podSecurityRules(level: PodSecurityLevel): ReadonlySet<string> {
  return new Set(POD_SECURITY_CONTROLS.filter((c) => judges(level, c.level)).map((c) => c.rule));
}
