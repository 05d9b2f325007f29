/**
 * CPE 2.3 names for a package, what NVD-based tools (Dependency-Track, grype's NVD matcher)
 * match on. Packages carry no vendor, so the candidates are generated the way syft documents
 * its own: the product is the package name (and `python-<name>` for Python), the vendor is the
 * product again, its prefixes at `-`/`_` (`jenkins-ci` → `jenkins`), and for Python the author
 * and the author's mail name (with `project`/`_project` forms: `tiangolo`, `tiangolo_project`);
 * `-` and `_` are tried both ways. The most specific (longest) comes first.
 */

export interface CpeSubject {
  readonly type: 'deb' | 'python';
  readonly name: string;
  readonly version: string;
  /** Python core metadata `Author` and `Author-email`. */
  readonly author?: string | undefined;
  readonly authorEmail?: string | undefined;
}

/** CPE 2.3 formatted string binding: everything but letters, digits, `_`, `-` and `.` is quoted. */
function quote(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, (c) => `\\${c}`);
}

// Printable ASCII only: a value outside it (an accented author name) is no CPE attribute.
const PRINTABLE = /^[\x21-\x7e]+$/;

function variations(values: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const value of values) {
    out.add(value);
    if (value.includes('-')) out.add(value.replaceAll('-', '_'));
    if (value.includes('_')) out.add(value.replaceAll('_', '-'));
  }
  return [...out];
}

/** `python-multipart` → `python`, `python-multipart`: each prefix ending before a `-` or `_`. */
function prefixes(value: string): string[] {
  const parts = value.split(/(?=[-_])/);
  return parts
    .map((_, i) =>
      parts
        .slice(0, i + 1)
        .join('')
        .replace(/^[-_]+/, ''),
    )
    .filter(Boolean);
}

function person(name: string): string {
  const normal = name.trim().toLowerCase().replace(/[-. ]/g, '_');
  return normal.startsWith('the_') ? normal.slice(4) : normal;
}

function authorVendors(subject: CpeSubject): string[] {
  const names: string[] = [];
  const mailName = /([^\s<>,"]+)@/.exec(subject.authorEmail ?? '')?.[1];
  // `Author-email: Jane Doe <jane@example.org>` names the author too when `Author` is absent.
  const author = subject.author || /^([^<]+)</.exec(subject.authorEmail ?? '')?.[1]?.trim();
  for (const raw of [author, mailName]) {
    if (!raw || raw.includes(',')) continue;
    const vendor = person(raw);
    names.push(vendor);
    if (!vendor.endsWith('project')) names.push(`${vendor}project`, `${vendor}_project`);
  }
  return names;
}

function products(subject: CpeSubject): string[] {
  const names = [subject.name];
  if (subject.type === 'python' && !subject.name.startsWith('python')) names.push(`python-${subject.name}`);
  return variations(names);
}

/** Every candidate CPE, most specific first; empty only when the name itself cannot be one. */
export function cpesOf(subject: CpeSubject): string[] {
  const product = products(subject).filter((p) => PRINTABLE.test(p));
  const vendors = new Set(variations(product.flatMap(prefixes)));
  if (subject.type === 'python') for (const v of authorVendors(subject)) vendors.add(v);
  const pairs: { vendor: string; product: string }[] = [];
  for (const p of product) {
    for (const vendor of vendors)
      if (vendor !== '' && PRINTABLE.test(vendor)) pairs.push({ vendor, product: p });
  }
  const version = quote(subject.version);
  return pairs
    .map(({ vendor, product: p }) => ({
      length: vendor.length + p.length,
      cpe: `cpe:2.3:a:${quote(vendor)}:${quote(p)}:${version}:*:*:*:*:*:*:*`,
    }))
    .sort((a, b) => b.length - a.length || (a.cpe < b.cpe ? -1 : a.cpe > b.cpe ? 1 : 0))
    .map((c) => c.cpe);
}
