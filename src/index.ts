/** The slipway library: typed commands and their building blocks. No printing, no process.exit. */

export type * from './analyze/model.js';
export { type BuildImageOptions, type BuildOutcome, buildImage } from './build/image.js';
export { type AnalyzeOptions, analyze } from './commands/analyze.js';
export { type BuildOptions, build } from './commands/build.js';
export { type CheckOptions, type CheckOutcome, check } from './commands/check.js';
export { type DeployOptions, type DeployOutcome, deploy } from './commands/deploy.js';
export { type DoctorCheck, type DoctorOptions, type DoctorReport, doctor } from './commands/doctor.js';
export { type InitOptions, type InitOutcome, init } from './commands/init.js';
export { type ScanCommandOptions, type ScanOutcome, scan } from './commands/scan.js';
export { type ShipOptions, type ShipOutcome, ship } from './commands/ship.js';
export { type UndeployOptions, type UndeployOutcome, undeploy } from './commands/undeploy.js';
export { type VerifyCommandOptions, type VerifyOutcome, verify } from './commands/verify.js';
export type { SlipwayConfig } from './config/schema.js';
export { detectEngine, probeEngines } from './engines/detect.js';
export { DockerEngine } from './engines/docker.js';
export type * from './engines/engine.js';
export { OWNER_LABEL, STAND_IN_LABEL } from './engines/engine.js';
export { PodmanEngine } from './engines/podman.js';
export * from './errors.js';
export { type GeneratedFiles, generateFiles } from './generate/index.js';
export { DEFAULT_PYTHON_VERSION, pythonImage, UV_IMAGE, UV_VERSION } from './pins.js';
export type * from './result.js';
export { type ScanReport, scanImage } from './scan/index.js';
export { type VerifyReport, verifyImage } from './verify/runner.js';
