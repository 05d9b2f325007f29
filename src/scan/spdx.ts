/**
 * SPDX 2.3 JSON, the other SBOM format procurement asks for. No maintained library writes it, so
 * it is built here, field by field against the 2.3 spec: the document's required fields, one
 * package per catalogued package with its purl as an external reference, and DESCRIBES /
 * CONTAINS relationships from the document to the image to each package. Declared licenses that
 * are not valid SPDX expressions become NOASSERTION rather than made-up LicenseRefs.
 */
import { randomUUID } from 'node:crypto';
import parseSpdx from 'spdx-expression-parse';
import type { Package } from './catalog/index.js';
import { type SbomSubject, splitRef } from './sbom.js';

function spdxId(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '-');
}

function declared(pkg: Package): string {
  const valid = pkg.licenses.filter((license) => {
    try {
      parseSpdx(license);
      return true;
    } catch {
      return false;
    }
  });
  if (valid.length === 0 || valid.length !== pkg.licenses.length) return 'NOASSERTION';
  return valid.length === 1 ? (valid[0] as string) : valid.map((l) => `(${l})`).join(' AND ');
}

export function buildSpdx(subject: SbomSubject, now: Date = new Date()): Record<string, unknown> {
  const { name, version } = splitRef(subject.ref);
  const packages = subject.packages.map((pkg, index) => ({
    name: pkg.name,
    SPDXID: `SPDXRef-Package-${pkg.type}-${spdxId(pkg.name)}-${index}`,
    versionInfo: pkg.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: declared(pkg),
    copyrightText: 'NOASSERTION',
    sourceInfo: `found in ${pkg.location} (layer ${pkg.layer})`,
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl },
      ...pkg.cpes.map((cpe) => ({
        referenceCategory: 'SECURITY',
        referenceType: 'cpe23Type',
        referenceLocator: cpe,
      })),
    ],
  }));
  const image = {
    name,
    SPDXID: 'SPDXRef-Image',
    ...(version ? { versionInfo: version } : {}),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'CONTAINER',
  };
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: subject.ref,
    documentNamespace: `https://spdx.org/spdxdocs/slipway/${spdxId(name)}-${randomUUID()}`,
    creationInfo: {
      // SPDX wants UTC without fractional seconds.
      created: `${now.toISOString().slice(0, 19)}Z`,
      creators: [`Tool: slipway-${subject.toolVersion}`],
    },
    packages: [image, ...packages],
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: 'SPDXRef-Image',
      },
      ...packages.map((pkg) => ({
        spdxElementId: 'SPDXRef-Image',
        relationshipType: 'CONTAINS',
        relatedSpdxElement: pkg.SPDXID,
      })),
    ],
  };
}
