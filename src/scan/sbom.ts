/**
 * The image's SBOM, CycloneDX 1.6 JSON, built with the CycloneDX library (its models, its
 * 1.6 normalizer and serializer) rather than by hand, so that it stays valid as the spec and
 * library evolve. Components carry package URLs and slipway properties (location, layer,
 * Debian source package).
 */
import { randomUUID } from 'node:crypto';
import { Contrib, Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import parseSpdx from 'spdx-expression-parse';
import type { OsRelease, Package } from './catalog/index.js';

export interface SbomSubject {
  readonly ref: string;
  readonly imageId: string | undefined;
  readonly os: OsRelease | undefined;
  readonly packages: readonly Package[];
  readonly toolVersion: string;
}

const licenseFactory = new Contrib.License.Factories.LicenseFactory(parseSpdx);

/** `registry/name:tag` → name and tag (a digest reference keeps its digest as the version). */
export function splitRef(ref: string): { name: string; version: string | undefined } {
  const at = ref.indexOf('@');
  if (at !== -1) return { name: ref.slice(0, at), version: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { name: ref.slice(0, colon), version: ref.slice(colon + 1) }
    : { name: ref, version: undefined };
}

function licensesOf(pkg: Package): Models.LicenseRepository {
  const repository = new Models.LicenseRepository();
  const licenses = pkg.licenses.map((text) => licenseFactory.makeFromString(text));
  // CycloneDX allows either one expression or a list of single licenses, never both.
  const expression = licenses.find((l) => l instanceof Models.LicenseExpression);
  for (const license of expression ? [expression] : licenses) repository.add(license);
  return repository;
}

function componentOf(pkg: Package, bomRef: string): Models.Component {
  const properties = new Models.PropertyRepository([
    new Models.Property('slipway:package:type', pkg.type),
    new Models.Property('slipway:location', pkg.location),
    new Models.Property('slipway:layer', String(pkg.layer)),
  ]);
  if (pkg.source) {
    properties.add(new Models.Property('slipway:deb:source', pkg.source.name));
    properties.add(new Models.Property('slipway:deb:source-version', pkg.source.version));
  }
  return new Models.Component(Enums.ComponentType.Library, pkg.name, {
    bomRef,
    version: pkg.version,
    purl: pkg.purl,
    licenses: licensesOf(pkg),
    properties,
  });
}

export function buildCycloneDx(subject: SbomSubject): { json: string; bom: Record<string, unknown> } {
  const bom = new Models.Bom({ serialNumber: `urn:uuid:${randomUUID()}` });
  const { name, version } = splitRef(subject.ref);
  const image = new Models.Component(Enums.ComponentType.Container, name, {
    bomRef: 'image',
    ...(version ? { version } : {}),
    properties: new Models.PropertyRepository(
      subject.imageId ? [new Models.Property('slipway:image:id', subject.imageId)] : [],
    ),
  });
  bom.metadata.component = image;
  bom.metadata.timestamp = new Date();
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, 'slipway', { version: subject.toolVersion }),
  );
  if (subject.os) {
    const os = new Models.Component(Enums.ComponentType.OperatingSystem, subject.os.id, {
      bomRef: 'os',
      ...(subject.os.versionId ? { version: subject.os.versionId } : {}),
      ...(subject.os.prettyName ? { description: subject.os.prettyName } : {}),
    });
    bom.components.add(os);
    image.dependencies.add(os.bomRef);
  }
  const refs = new Set<string>();
  for (const pkg of subject.packages) {
    // The same distribution can sit in two environments (venv and system): refs must stay unique.
    const bomRef = refs.has(pkg.purl) ? `${pkg.purl}#${pkg.location}` : pkg.purl;
    refs.add(bomRef);
    const component = componentOf(pkg, bomRef);
    bom.components.add(component);
    image.dependencies.add(component.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const json = serializer.serialize(bom, { sortLists: true, space: 2 });
  return { json, bom: JSON.parse(json) as Record<string, unknown> };
}
