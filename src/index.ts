/** The slipway library: typed commands and their building blocks. No printing, no process.exit. */
export { type DoctorCheck, type DoctorOptions, type DoctorReport, doctor } from './commands/doctor.js';
export { detectEngine, probeEngines } from './engines/detect.js';
export { DockerEngine } from './engines/docker.js';
export type * from './engines/engine.js';
export { OWNER_LABEL, STAND_IN_LABEL } from './engines/engine.js';
export { PodmanEngine } from './engines/podman.js';
export * from './errors.js';
export { DEFAULT_PYTHON_VERSION, pythonImage, UV_IMAGE, UV_VERSION } from './pins.js';
