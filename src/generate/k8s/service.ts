import type { ProjectModel } from '../../analyze/model.js';
import { type Json, metadata, selectorLabels, toYaml } from './objects.js';

/** ClusterIP on port 80, to the container's named port: the app's port can change without clients noticing. */
export function service(model: ProjectModel): string {
  const object: Json = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(model),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(model),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  return toYaml(object);
}
