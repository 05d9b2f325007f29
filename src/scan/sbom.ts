/**
 * The image's SBOM, CycloneDX 1.6 JSON, built with the CycloneDX library (its models, its
 * 1.6 normalizer and serializer) rather than by hand, so that it stays valid as the spec and
 * library evolve. Components carry package URLs, CPEs and slipway properties (location, layer,
 * Debian source package).
 */
import { randomUUID } from 'node:crypto';
import type * as CycloneDx from '@cyclonedx/cyclonedx-library';
import type { Models } from '@cyclonedx/cyclonedx-library';
import parseSpdx from 'spdx-expression-parse';
import type { OsRelease, Package } from './catalog/index.js';

export interface SbomSubject {
  readonly ref: string;
  readonly imageId: string | undefined;
  readonly os: OsRelease | undefined;
  readonly packages: readonly Package[];
  readonly toolVersion: string;
  /** SHA-256 of the final filesystem's files (`--files`): each package lists the files it installed. */
  readonly files?: ReadonlyMap<string, string>;
}

type Library = typeof CycloneDx;
let library: Promise<Library> | undefined;

/**
 * The CycloneDX library takes a few hundred milliseconds to load: the scan starts loading it
 * while the engine is still saving the image, rather than at start-up.
 */
export function loadCycloneDx(): Promise<Library> {
  library ??= import('@cyclonedx/cyclonedx-library');
  return library;
}

/** `registry/name:tag` → name and tag (a digest reference keeps its digest as the version). */
export function splitRef(ref: string): { name: string; version: string | undefined } {
  const at = ref.indexOf('@');
  if (at !== -1) return { name: ref.slice(0, at), version: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { name: ref.slice(0, colon), version: ref.slice(colon + 1) }
    : { name: ref, version: undefined };
}

function licensesOf({ Contrib, Models }: Library, pkg: Package): Models.LicenseRepository {
  const repository = new Models.LicenseRepository();
  const licenseFactory = new Contrib.License.Factories.LicenseFactory(parseSpdx);
  const licenses = pkg.licenses.map((text) => licenseFactory.makeFromString(text));
  // CycloneDX allows either one expression or a list of single licenses, never both: in a list,
  // an expression (one Files paragraph's `GPL-2+ or Artistic`) is carried by its name.
  for (const license of licenses) {
    repository.add(
      licenses.length > 1 && license instanceof Models.LicenseExpression
        ? new Models.NamedLicense(license.expression)
        : license,
    );
  }
  return repository;
}

/** The files a package installed, as `file` components with their SHA-256, under the package. */
function fileComponents(
  { Enums, Models }: Library,
  pkg: Package,
  files: ReadonlyMap<string, string>,
  refs: Set<string>,
): Models.Component[] {
  return pkg.paths.flatMap((path) => {
    const sha256 = files.get(path);
    const bomRef = `file:/${path}`;
    // A file two packages claim (a dpkg diversion) is listed once.
    if (!sha256 || refs.has(bomRef)) return [];
    refs.add(bomRef);
    const hashes = new Models.HashDictionary([[Enums.HashAlgorithm['SHA-256'], sha256]]);
    return [new Models.Component(Enums.ComponentType.File, `/${path}`, { bomRef, hashes })];
  });
}

function componentOf(lib: Library, pkg: Package, bomRef: string): Models.Component {
  const { Enums, Models } = lib;
  const properties = new Models.PropertyRepository([
    new Models.Property('slipway:package:type', pkg.type),
    new Models.Property('slipway:location', pkg.location),
    new Models.Property('slipway:layer', String(pkg.layer)),
  ]);
  // The first CPE is the component's; the other candidates follow as properties (as syft does).
  for (const cpe of pkg.cpes.slice(1)) properties.add(new Models.Property('slipway:cpe23', cpe));
  if (pkg.source) {
    properties.add(new Models.Property('slipway:deb:source', pkg.source.name));
    properties.add(new Models.Property('slipway:deb:source-version', pkg.source.version));
  }
  return new Models.Component(Enums.ComponentType.Library, pkg.name, {
    bomRef,
    version: pkg.version,
    purl: pkg.purl,
    ...(pkg.cpes[0] ? { cpe: pkg.cpes[0] } : {}),
    licenses: licensesOf(lib, pkg),
    properties,
  });
}

export async function buildCycloneDx(
  subject: SbomSubject,
): Promise<{ json: string; bom: Record<string, unknown> }> {
  const lib = await loadCycloneDx();
  const { Enums, Models, Serialize, Spec } = lib;
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
    const component = componentOf(lib, pkg, bomRef);
    if (subject.files)
      for (const file of fileComponents(lib, pkg, subject.files, refs)) component.components.add(file);
    bom.components.add(component);
    image.dependencies.add(component.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  const json = serializer.serialize(bom, { sortLists: true, space: 2 });
  return { json, bom: JSON.parse(json) as Record<string, unknown> };
}
