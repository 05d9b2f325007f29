/**
 * .dockerignore matching as BuildKit does it (moby/patternmatcher): patterns are cleaned paths
 * relative to the context root, `**` spans folders, `!` re-includes, the last match wins, and a
 * pattern that matches a folder excludes everything inside it.
 */
interface Pattern {
  readonly negate: boolean;
  readonly regex: RegExp;
}

export function parseDockerignore(text: string): Pattern[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const body = (negate ? line.slice(1).trim() : line).replace(/^\/+|\/+$/g, '').replace(/^\.\//, '');
      return { negate, regex: toRegex(body) };
    });
}

function toRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` matches everything below.
      i += 1;
      if (pattern[i + 1] === '/') {
        i += 1;
        out += '(?:.*/)?';
      } else out += '.*';
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) out += '\\[';
      else {
        out += `[${pattern.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Whether a path (relative to the context root) is left out of the build context. */
export function isIgnored(patterns: readonly Pattern[], path: string): boolean {
  const parts = path.split('/');
  // A path is out when it, or any folder above it, is matched last by a non-negated pattern.
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const pattern of patterns) {
    if (prefixes.some((prefix) => pattern.regex.test(prefix))) ignored = !pattern.negate;
  }
  return ignored;
}
