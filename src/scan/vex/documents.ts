/**
 * VEX documents read into one statement shape: OpenVEX (0.2.0, and the 0.0.x form with string
 * vulnerabilities and products) and CycloneDX VEX (a BOM's `vulnerabilities` with `analysis`
 * and `affects`). A document that is neither, or one whose statements do not say what they
 * apply to, is refused with the key path of the first problem: a VEX file that is silently half
 * read would hide or show findings nobody decided on.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../../errors.js';

/** OpenVEX's statuses; CycloneDX analysis states are mapped onto them. */
export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

export interface VexStatement {
  /** The vulnerability id or alias the statement names (`CVE-…`, `GHSA-…`). */
  readonly vulnerability: string;
  readonly aliases: readonly string[];
  /** Package URLs (or a CycloneDX bom-ref) of what it applies to; empty: every product. */
  readonly products: readonly string[];
  readonly status: VexStatus;
  readonly justification: string | undefined;
  readonly detail: string | undefined;
  readonly timestamp: string | undefined;
  /** The file it came from, for the report. */
  readonly source: string;
}

const Identified = z.union([
  z.string().min(1),
  z
    .object({
      '@id': z.string().optional(),
      identifiers: z.object({ purl: z.string().optional() }).loose().optional(),
      subcomponents: z
        .array(
          z.union([
            z.string(),
            z
              .object({
                '@id': z.string().optional(),
                identifiers: z.object({ purl: z.string().optional() }).loose().optional(),
              })
              .loose(),
          ]),
        )
        .optional(),
    })
    .loose(),
]);

const OpenVexStatement = z
  .object({
    vulnerability: z.union([
      z.string().min(1),
      z.object({ name: z.string().min(1), aliases: z.array(z.string()).optional() }).loose(),
    ]),
    products: z.array(Identified).optional(),
    status: z.enum(['not_affected', 'affected', 'fixed', 'under_investigation']),
    justification: z.string().optional(),
    impact_statement: z.string().optional(),
    status_notes: z.string().optional(),
    timestamp: z.string().optional(),
  })
  .loose();

const OpenVex = z
  .object({
    '@context': z.string().startsWith('https://openvex.dev/ns'),
    timestamp: z.string().optional(),
    statements: z.array(OpenVexStatement),
  })
  .loose();

const CDX_STATES: Readonly<Record<string, VexStatus>> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

const CycloneDxVex = z
  .object({
    bomFormat: z.literal('CycloneDX'),
    components: z
      .array(z.object({ 'bom-ref': z.string().optional(), purl: z.string().optional() }).loose())
      .optional(),
    vulnerabilities: z.array(
      z
        .object({
          id: z.string().min(1),
          references: z.array(z.object({ id: z.string() }).loose()).optional(),
          analysis: z
            .object({
              state: z.enum(Object.keys(CDX_STATES) as [string, ...string[]]),
              justification: z.string().optional(),
              detail: z.string().optional(),
              lastUpdated: z.string().optional(),
            })
            .loose(),
          affects: z.array(z.object({ ref: z.string().min(1) }).loose()).min(1),
        })
        .loose(),
    ),
  })
  .loose();

function productIds(product: z.infer<typeof Identified>): string[] {
  if (typeof product === 'string') return [product];
  const own = [product['@id'], product.identifiers?.purl].filter((id): id is string => Boolean(id));
  const subs = (product.subcomponents ?? []).flatMap((sub) =>
    typeof sub === 'string'
      ? [sub]
      : [sub['@id'], sub.identifiers?.purl].filter((id): id is string => Boolean(id)),
  );
  // Subcomponents say where in the product the vulnerability is: the statement is about them.
  return subs.length > 0 ? subs : own;
}

function fromOpenVex(doc: z.infer<typeof OpenVex>, source: string): VexStatement[] {
  return doc.statements.map((s) => ({
    vulnerability: typeof s.vulnerability === 'string' ? s.vulnerability : s.vulnerability.name,
    aliases: typeof s.vulnerability === 'string' ? [] : (s.vulnerability.aliases ?? []),
    products: (s.products ?? []).flatMap(productIds),
    status: s.status,
    justification: s.justification,
    detail: s.impact_statement ?? s.status_notes,
    timestamp: s.timestamp ?? doc.timestamp,
    source,
  }));
}

function fromCycloneDx(doc: z.infer<typeof CycloneDxVex>, source: string): VexStatement[] {
  const purlOf = new Map(
    (doc.components ?? []).flatMap((c) => (c['bom-ref'] && c.purl ? [[c['bom-ref'], c.purl]] : [])),
  );
  return doc.vulnerabilities.map((v) => ({
    vulnerability: v.id,
    aliases: (v.references ?? []).map((r) => r.id),
    // A ref is a bom-ref of this document, a purl, or a BOM-Link (`urn:cdx:…#<bom-ref>`).
    products: v.affects.map(({ ref }) => {
      const local = ref.startsWith('urn:cdx:') ? decodeURIComponent(ref.slice(ref.indexOf('#') + 1)) : ref;
      return purlOf.get(local) ?? local;
    }),
    status: CDX_STATES[v.analysis.state] as VexStatus,
    justification: v.analysis.justification,
    detail: v.analysis.detail,
    timestamp: v.analysis.lastUpdated,
    source,
  }));
}

function problem(file: string, error: z.ZodError): UsageError {
  const issue = error.issues[0];
  return new UsageError(`VEX file ${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, {
    fix: 'give an OpenVEX document (https://openvex.dev) or a CycloneDX BOM with vulnerabilities[].analysis',
  });
}

export async function loadVex(file: string): Promise<VexStatement[]> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`VEX file ${file} cannot be read`);
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`VEX file ${file} is not JSON: ${(error as Error).message}`);
  }
  const record = (data ?? {}) as Record<string, unknown>;
  if (typeof record['@context'] === 'string') {
    const parsed = OpenVex.safeParse(data);
    if (!parsed.success) throw problem(file, parsed.error);
    return fromOpenVex(parsed.data, file);
  }
  if (record.bomFormat === 'CycloneDX') {
    const parsed = CycloneDxVex.safeParse(data);
    if (!parsed.success) throw problem(file, parsed.error);
    return fromCycloneDx(parsed.data, file);
  }
  throw new UsageError(
    `VEX file ${file} is neither an OpenVEX document (@context https://openvex.dev/ns…) nor a CycloneDX BOM`,
  );
}
