/** One installed package, from the OS package database or a Python distribution's metadata. */
export interface Package {
  readonly type: 'deb' | 'python';
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  /** License names or SPDX expressions as the package declares them; empty when unknown. */
  readonly licenses: readonly string[];
  /** CPE 2.3 names, most specific first (cpe.ts); what NVD-based tools match on. */
  readonly cpes: readonly string[];
  /** Where the package was found: its status file or its dist-info folder. */
  readonly location: string;
  /** The layer (0 = oldest) that holds that record. */
  readonly layer: number;
  /** Files the package installed that are in the final image (dpkg `.list`, dist-info RECORD). */
  readonly paths: readonly string[];
  /** Debian only: the source package, which is what Debian security data is keyed on. */
  readonly source?: { readonly name: string; readonly version: string };
  readonly architecture?: string;
}
