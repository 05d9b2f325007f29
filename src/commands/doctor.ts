import { checkMachine, type DoctorOptions, type DoctorReport } from '../doctor/machine.js';

export type { DoctorCheck, DoctorOptions, DoctorReport, DoctorStatus } from '../doctor/machine.js';

/** `slipway doctor`: Node.js, the engine, the base images, uv and kubectl, each with its fix. */
export function doctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  return checkMachine(options);
}
