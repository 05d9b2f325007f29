import type { ProjectModel } from '../../analyze/model.js';
import { resourceName } from '../../generate/common.js';
import type { ManifestSet } from '../../kube/objects.js';
import { type ContainerRef, containers, podTemplates } from '../../kube/pods.js';

/**
 * The containers that run the project's image. With a model, those whose image repository is the
 * project's image name (sidecars keep their own users and ports); without one, every serving
 * container, as a lone Dockerfile describes them all.
 */
export function appContainers(set: ManifestSet, model: ProjectModel | undefined): ContainerRef[] {
  const all = podTemplates(set.objects).flatMap((pod) => containers(pod, 'app'));
  if (!model) return all;
  let name: string;
  try {
    name = resourceName(model);
  } catch {
    return all;
  }
  const mine = all.filter((ref) => {
    const image = typeof ref.container.image === 'string' ? ref.container.image : '';
    const repository = image.split('@')[0]?.replace(/:[^/:]*$/, '') ?? '';
    return repository === name || repository.endsWith(`/${name}`);
  });
  // An image renamed by hand (or by a kustomize `images:` entry): fall back to all containers.
  return mine.length > 0 ? mine : all;
}
