import type { EngineInfo } from '../engines/engine.js';

/**
 * What a registry push says about build attestations. slipway builds into the local engine (buildx
 * `--load`, or podman) and pushes from there: `--load` keeps only the image, so no provenance or
 * SBOM attestation reaches the registry, and buildx's default `docker` driver refuses to make
 * them at all ("Attestation is not supported for the docker driver") unless the daemon uses the
 * containerd image store (Docker 24+). A `docker-container` builder could make them, but it runs
 * the moby/buildkit image, which must be pulled. Checked on Docker 20.10.24 with buildx 0.13.1.
 */
export function attestationNote(image: string, engine: Pick<EngineInfo, 'kind' | 'serverVersion'>): string {
  const sbom = `\`slipway scan ${image}\` writes its SBOM (CycloneDX, SPDX) beside it`;
  if (engine.kind === 'podman') {
    return `no provenance or SBOM attestation attached to ${image}: podman builds make no BuildKit attestations; ${sbom}`;
  }
  const daemon = engine.serverVersion ? `Docker ${engine.serverVersion}` : 'this Docker';
  return [
    `no provenance or SBOM attestation attached to ${image}: it is built with buildx --load into the local engine and pushed from there,`,
    `and --load drops attestations; buildx's docker driver on ${daemon} cannot make them (a docker-container builder can, with the moby/buildkit image); ${sbom}`,
  ].join(' ');
}
