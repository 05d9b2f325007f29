/**
 * The licenses a Debian package's /usr/share/doc/<pkg>/copyright declares, as Debian names
 * (`GPL-2+`, `BSD-3-clause`, `GPL-1+ or Artistic`). Machine-readable files (DEP-5, a `Format:`
 * header) are read by their fields: the header's `License:`, every `Files:` paragraph's, and the
 * standalone `License:` paragraphs when no paragraph names one. Older free-text files are read for
 * the forms they are written in: a /usr/share/common-licenses/<name> reference, the GNU "version N
 * (or any later version)" sentence, "the Apache License, Version 2.0", the PSF license heading and
 * the Expat grant. Nothing else is inferred: a file that says none of these gives no license.
 */
import { type Fields, first, stanzas } from './fields.js';

const OPERATORS = new Set(['and', 'or', 'with']);

/** The first line of a `License:` field when it is a name or DEP-5 expression, not prose. */
function licenseName(fields: Fields): string | undefined {
  const line = first(fields, 'License')?.split('\n')[0]?.trim();
  if (!line) return undefined;
  const tokens = line.replace(/,/g, ' , ').split(/\s+/);
  let expectName = true;
  let inException = false;
  for (const token of tokens) {
    const lower = token.toLowerCase();
    if (inException) {
      if (lower === 'exception') inException = false;
      continue;
    }
    if (token === ',') {
      if (expectName) return undefined;
      continue;
    }
    if (expectName) {
      if (!/^[A-Za-z0-9][\w.+/-]*$/.test(token) || OPERATORS.has(lower)) return undefined;
      expectName = false;
    } else if (lower === 'with') {
      inException = true;
    } else if (lower === 'and' || lower === 'or') {
      expectName = true;
    } else {
      return undefined;
    }
  }
  return expectName ? undefined : line;
}

function machineReadable(paragraphs: readonly Fields[]): string[] | undefined {
  const header = paragraphs[0];
  if (!header || !/copyright-format|dep-?5/i.test(first(header, 'Format') ?? '')) return undefined;
  const names: string[] = [];
  const headerName = licenseName(header);
  if (headerName) names.push(headerName);
  const files = paragraphs.slice(1).filter((p) => p.has('files'));
  // `Files: *` first: it is the package's own license; debian/* and bundled code follow.
  files.sort((a, b) => Number(first(b, 'Files')?.trim() === '*') - Number(first(a, 'Files')?.trim() === '*'));
  for (const paragraph of files) {
    const name = licenseName(paragraph);
    if (name) names.push(name);
  }
  if (names.length === 0) {
    for (const paragraph of paragraphs.slice(1).filter((p) => !p.has('files'))) {
      const name = licenseName(paragraph);
      if (name) names.push(name);
    }
  }
  return names;
}

const GNU_FAMILY: Readonly<Record<string, string>> = {
  '': 'GPL',
  'lesser ': 'LGPL',
  'library ': 'LGPL',
  'affero ': 'AGPL',
  'free documentation ': 'GFDL',
};

const GNU_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  GPL: ['1', '2', '3'],
  LGPL: ['2', '2.1', '3'],
  AGPL: ['1', '3'],
  GFDL: ['1.1', '1.2', '1.3'],
};

/** "GNU Lesser General Public License, version 2.1 (or, at your option, any later version)". */
function gnuSentences(text: string): { family: string; name: string }[] {
  const found: { family: string; name: string }[] = [];
  // Up to the version, no sentence end and no "exception" (whose own version is not the GPL's).
  const sentence =
    /\b(lesser |library |affero )?general public licen[cs]e\b(?:(?!exception)[^.]){0,160}?\bversion (\d(?:\.\d)?)\b([^.]{0,60})/gi;
  const documentation = /\bfree documentation licen[cs]e\b[^.]{0,80}?\bversion (1\.[123])\b([^.]{0,60})/gi;
  const short = /\b(lesser |library |affero )?general public licen[cs]e \(v(\d(?:\.\d)?) or later\)/gi;
  const add = (prefix: string, version: string, rest: string) => {
    const family = GNU_FAMILY[prefix.toLowerCase()] ?? 'GPL';
    if (!GNU_VERSIONS[family]?.includes(version.replace(/\.0$/, ''))) return;
    const later = /any later version|or later/i.test(rest);
    found.push({ family, name: `${family}-${version}${later ? '+' : ''}` });
  };
  for (const m of text.matchAll(sentence)) add(m[1] ?? '', m[2] ?? '', m[3] ?? '');
  for (const m of text.matchAll(short)) add(m[1] ?? '', m[2] ?? '', 'or later');
  for (const m of text.matchAll(documentation)) add('free documentation ', m[1] ?? '', m[2] ?? '');
  return found;
}

function freeText(raw: string): string[] {
  const text = raw.replace(/\s+/g, ' ');
  const names: string[] = [];
  const gnu = gnuSentences(text);
  for (const m of text.matchAll(/\/usr\/share\/common-licenses\/([A-Za-z0-9][\w.+-]*[\w+])/g)) {
    const name = m[1] as string;
    // An unversioned GPL/LGPL/GFDL reference takes its version from the file's own sentence; a
    // versioned one takes "or any later version" from it.
    const sentence = /^(GPL|LGPL|AGPL|GFDL)$/i.test(name)
      ? gnu.find((g) => g.family === name.toUpperCase())
      : gnu.find((g) => g.name.replace(/\+$/, '') === name);
    names.push(sentence?.name ?? name);
  }
  names.push(...gnu.map((g) => g.name));
  if (/licensed under the apache licen[cs]e,? version 2\.0/i.test(text)) names.push('Apache-2.0');
  if (/python software foundation licen[cs]e version 2/i.test(text)) names.push('PSF-2');
  if (/permission is hereby granted, free of charge, to any person obtaining a copy/i.test(text))
    names.push('Expat');
  return names;
}

/** The licenses the file names, distinct, the package's own first; empty when it names none. */
export function copyrightLicenses(text: string): string[] {
  const names = machineReadable(stanzas(text)) ?? freeText(text);
  return [...new Set(names)];
}
