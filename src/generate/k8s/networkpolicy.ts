import type { ProjectModel } from '../../analyze/model.js';
import { type Json, metadata, selectorLabels, toYaml } from './objects.js';

/**
 * Ingress only to the HTTP port. Egress is listed rule by rule rather than left implicit: DNS,
 * then the outside services an API usually calls (database, queues, other APIs). Narrow the
 * second rule to the real destinations once they are known.
 */
export function networkPolicy(model: ProjectModel): string {
  const object: Json = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(model),
    spec: {
      podSelector: { matchLabels: selectorLabels(model) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 'http', protocol: 'TCP' }] }],
      egress: [
        {
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }] },
      ],
    },
  };
  return toYaml(
    object,
    "Egress: DNS, then any address (the app's database and outside APIs). Narrow the second rule\nto the addresses the app really calls.",
  );
}
