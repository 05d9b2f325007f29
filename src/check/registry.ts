import { rule as dockerfileAddUrlChecksum } from './rules/dockerfile/add-url-checksum.js';
import { rule as dockerfileAptGetNotApt } from './rules/dockerfile/apt-get-not-apt.js';
import { rule as dockerfileAptHygiene } from './rules/dockerfile/apt-hygiene.js';
import { rule as dockerfileAptVersionsPinned } from './rules/dockerfile/apt-versions-pinned.js';
import { rule as dockerfileBaseImagePinned } from './rules/dockerfile/base-image-pinned.js';
import { rule as dockerfileCopyNotAdd } from './rules/dockerfile/copy-not-add.js';
import { rule as dockerfileCopyRelativeDestination } from './rules/dockerfile/copy-relative-destination.js';
import { rule as dockerfileDependenciesBeforeSource } from './rules/dockerfile/dependencies-before-source.js';
import { rule as dockerfileExecForm } from './rules/dockerfile/exec-form.js';
import { rule as dockerfileExposePort } from './rules/dockerfile/expose-port.js';
import { rule as dockerfileHealthcheck } from './rules/dockerfile/healthcheck.js';
import { rule as dockerfileInstructionArity } from './rules/dockerfile/instruction-arity.js';
import { rule as dockerfileMultiStage } from './rules/dockerfile/multi-stage.js';
import { rule as dockerfileNoReload } from './rules/dockerfile/no-reload.js';
import { rule as dockerfileNoSecretsInBuildArgs } from './rules/dockerfile/no-secrets-in-build-args.js';
import { rule as dockerfileOciLabels } from './rules/dockerfile/oci-labels.js';
import { rule as dockerfilePipNoCache } from './rules/dockerfile/pip-no-cache.js';
import { rule as dockerfilePipVersionsPinned } from './rules/dockerfile/pip-versions-pinned.js';
import { rule as dockerfileUserNumericNonRoot } from './rules/dockerfile/user-numeric-non-root.js';
import { rule as dockerfileUvSyncLocked } from './rules/dockerfile/uv-sync-locked.js';
import { rule as dockerfileWorkdirAbsolute } from './rules/dockerfile/workdir-absolute.js';
import { rule as manifestApparmor } from './rules/manifest/apparmor.js';
import { rule as manifestAvailability } from './rules/manifest/availability.js';
import { rule as manifestCapabilities } from './rules/manifest/capabilities.js';
import { rule as manifestHostNamespaces } from './rules/manifest/host-namespaces.js';
import { rule as manifestHostPorts } from './rules/manifest/host-ports.js';
import { rule as manifestImageTag } from './rules/manifest/image-tag.js';
import { rule as manifestNoInlineSecrets } from './rules/manifest/no-inline-secrets.js';
import { rule as manifestNoPrivilegeEscalation } from './rules/manifest/no-privilege-escalation.js';
import { rule as manifestPrivileged } from './rules/manifest/privileged.js';
import { rule as manifestProbeHost } from './rules/manifest/probe-host.js';
import { rule as manifestProbesDistinct } from './rules/manifest/probes-distinct.js';
import { rule as manifestProbesPresent } from './rules/manifest/probes-present.js';
import { rule as manifestProcMount } from './rules/manifest/proc-mount.js';
import { rule as manifestResources } from './rules/manifest/resources.js';
import { rule as manifestRunAsNonRoot } from './rules/manifest/run-as-non-root.js';
import { rule as manifestSchemaValid } from './rules/manifest/schema-valid.js';
import { rule as manifestSeccomp } from './rules/manifest/seccomp.js';
import { rule as manifestSelectors } from './rules/manifest/selectors.js';
import { rule as manifestSelinux } from './rules/manifest/selinux.js';
import { rule as manifestServiceTargetPort } from './rules/manifest/service-target-port.js';
import { rule as manifestSysctls } from './rules/manifest/sysctls.js';
import { rule as manifestVolumeTypes } from './rules/manifest/volume-types.js';
import { rule as projectContainerPortMatchesExpose } from './rules/project/container-port-matches-expose.js';
import { rule as projectDockerignoreSecrets } from './rules/project/dockerignore-secrets.js';
import { rule as projectLockFresh } from './rules/project/lock-fresh.js';
import { rule as projectProbePathsExist } from './rules/project/probe-paths-exist.js';
import { rule as projectRequiredSettingsSet } from './rules/project/required-settings-set.js';
import { rule as projectRunAsUserMatchesImage } from './rules/project/run-as-user-matches-image.js';
import { rule as projectSettingsCovered } from './rules/project/settings-covered.js';
import type { Rule } from './types.js';

/**
 * Every rule `slipway check` runs, in one place. Order is by id: reports list findings by file and
 * line, and this order only breaks ties.
 */
export const RULES: readonly Rule[] = [
  dockerfileAddUrlChecksum,
  dockerfileAptGetNotApt,
  dockerfileAptVersionsPinned,
  dockerfileCopyRelativeDestination,
  dockerfileInstructionArity,
  dockerfileNoReload,
  dockerfilePipNoCache,
  dockerfilePipVersionsPinned,
  dockerfileAptHygiene,
  dockerfileBaseImagePinned,
  dockerfileCopyNotAdd,
  dockerfileDependenciesBeforeSource,
  dockerfileExecForm,
  dockerfileExposePort,
  dockerfileHealthcheck,
  dockerfileMultiStage,
  dockerfileNoSecretsInBuildArgs,
  dockerfileOciLabels,
  dockerfileUserNumericNonRoot,
  dockerfileUvSyncLocked,
  dockerfileWorkdirAbsolute,
  manifestApparmor,
  manifestAvailability,
  manifestCapabilities,
  manifestHostNamespaces,
  manifestHostPorts,
  manifestImageTag,
  manifestNoInlineSecrets,
  manifestNoPrivilegeEscalation,
  manifestPrivileged,
  manifestProbeHost,
  manifestProbesDistinct,
  manifestProbesPresent,
  manifestProcMount,
  manifestResources,
  manifestRunAsNonRoot,
  manifestSchemaValid,
  manifestSeccomp,
  manifestSelectors,
  manifestSelinux,
  manifestServiceTargetPort,
  manifestSysctls,
  manifestVolumeTypes,
  projectContainerPortMatchesExpose,
  projectDockerignoreSecrets,
  projectLockFresh,
  projectProbePathsExist,
  projectRunAsUserMatchesImage,
  projectSettingsCovered,
  projectRequiredSettingsSet,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}

/** What reporters (SARIF's tool.driver.rules) say about every rule. */
export interface RuleDescriptor {
  readonly id: string;
  readonly title: string;
  readonly severity: Rule['severity'];
  readonly hint: string;
  readonly docs: string;
}

export function ruleDescriptors(): RuleDescriptor[] {
  return RULES.map(({ id, title, severity, hint, docs }) => ({ id, title, severity, hint, docs }));
}
