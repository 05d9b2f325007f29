import type { ProjectModel } from '../../analyze/model.js';
import { imageRef, imageTag, resourceName } from '../common.js';
import { plainSettings, secretSettings } from './configmap.js';
import { commonLabels, configMapName, type Json, secretName, toYaml } from './objects.js';

/**
 * The migration as a Job, not an initContainer, because:
 * - an initContainer runs in every pod, on every start: with two replicas (production's minimum)
 *   a rollout runs the migration twice at once, and alembic takes no lock, so two upgrades race;
 *   a restart or a reschedule would run it again;
 * - a Job runs it once per release. Its name carries the image's version, so a new release is a
 *   new Job (a Job's pod template cannot change in place) and re-applying the same release
 *   changes nothing; `slipway deploy` waits for it to succeed before it waits for the rollout,
 *   and shows its log when it fails;
 * - the Deployment's rolling update keeps every old pod serving (maxUnavailable 0) while the new
 *   ones wait on their readiness probe, which reaches the database.
 * Its pods carry none of the Deployment's selector labels: the Service, the PodDisruptionBudget
 * and the NetworkPolicy never count them as app pods. Same image, settings, user and Pod Security
 * "restricted" context as the app.
 */

/** The label value telling migration Jobs apart from the app's own objects. */
export const MIGRATION_COMPONENT = 'migration';

/** `<name>-migrate-<version>`, a DNS label (the pods' `job-name` label allows at most 63). */
export function migrationJobName(model: ProjectModel): string {
  const tag = imageTag(model.version)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return `${resourceName(model)}-migrate-${tag}`.slice(0, 63).replace(/-+$/, '');
}

function labels(model: ProjectModel): Record<string, string> {
  const name = resourceName(model);
  const all = commonLabels(model);
  return {
    ...all,
    'app.kubernetes.io/name': `${name}-migrate`.slice(0, 63).replace(/-+$/, ''),
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/component': MIGRATION_COMPONENT,
  };
}

export function migrationJob(model: ProjectModel): string | undefined {
  const step = model.migrations;
  const [program, ...args] = step?.command ?? [];
  if (!step || program === undefined) return undefined;
  const { uid, gid } = model.config;
  const resources = model.config.kubernetes.resources;
  const limits: Record<string, string> = { memory: resources.limits.memory };
  if (resources.limits.cpu) limits.cpu = resources.limits.cpu;
  const container: Record<string, Json> = {
    name: 'migrate',
    image: imageRef(model),
    imagePullPolicy: 'IfNotPresent',
    // `command` replaces the image's ENTRYPOINT, as verify's run does: the step runs as written.
    command: [program],
    ...(args.length > 0 ? { args } : {}),
  };
  if (plainSettings(model).length > 0) container.envFrom = [{ configMapRef: { name: configMapName(model) } }];
  const env = secretSettings(model).map((setting) => ({
    name: setting.name,
    valueFrom: {
      secretKeyRef: {
        name: secretName(model),
        key: setting.name,
        ...(setting.required ? {} : { optional: true }),
      },
    },
  }));
  if (env.length > 0) container.env = env;
  Object.assign(container, {
    resources: { requests: { ...resources.requests }, limits },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: gid,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  });
  const object: Json = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: migrationJobName(model), labels: labels(model) },
    spec: {
      // A database that is still coming up gets two more tries; a broken migration fails in minutes.
      backoffLimit: 2,
      activeDeadlineSeconds: 600,
      // Kept a day for its log; a re-apply after that runs it again, which a migration tool
      // (alembic upgrade head) treats as nothing to do.
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: labels(model) },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: uid,
            runAsGroup: gid,
            fsGroup: gid,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [container],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }],
        },
      },
    },
  };
  return toYaml(
    object,
    `The migration, once per release, before the new pods serve; found in ${step.why}.\nA Job rather than an initContainer, which would run it in every replica at once.\n\`slipway deploy\` waits for it to succeed before it waits for the rollout.`,
  );
}
