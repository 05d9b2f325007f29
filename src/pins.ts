/**
 * Versions the generated Dockerfile pins by default. scripts/testbed/pins.sh holds the same
 * values for the stand-in images; a unit test keeps the two in step.
 */
export const DEFAULT_PYTHON_VERSION = '3.13';
export const UV_VERSION = '0.13.9';
export const UV_IMAGE = `ghcr.io/astral-sh/uv:${UV_VERSION}`;

export function pythonImage(pythonVersion: string): string {
  return `python:${pythonVersion}-slim`;
}
