import type { SlipwayConfig } from './types.js';

/** Every default of `[tool.slipway]`, in one place (the schema only says what is allowed). */
export const DEFAULT_CONFIG: SlipwayConfig = {
  app: undefined,
  pythonVersion: undefined,
  port: 8000,
  uid: 10001,
  gid: 10001,
  workers: 1,
  gracefulTimeout: 20,
  sizeBudgetMb: 300,
  apt: { build: [], runtime: [] },
  health: { liveness: undefined, readiness: undefined },
  image: { name: undefined, registry: undefined },
  maintainer: undefined,
  source: undefined,
  kubernetes: {
    namespace: undefined,
    replicas: 2,
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      // No CPU limit by default: throttling hurts latency more than it protects neighbours.
      limits: { memory: '256Mi', cpu: undefined },
    },
  },
  ignore: [],
};
