import type { Lock, LockPackage } from './lock.js';
import { evaluateMarker, linuxEnvironment } from './markers.js';
import type { NativeNeeds } from './model.js';

/**
 * Well-known packages that build from source against a C library: Debian packages for the
 * builder stage (compiler, headers) and for the final stage (the shared library). Names are
 * Debian trixie's, the release python:3.1x-slim is built on.
 */
export const NATIVE_PACKAGES: Readonly<Record<string, { build: string[]; runtime: string[] }>> = {
  psycopg2: { build: ['gcc', 'libc6-dev', 'libpq-dev'], runtime: ['libpq5'] },
  'psycopg-c': { build: ['gcc', 'libc6-dev', 'libpq-dev'], runtime: ['libpq5'] },
  mysqlclient: {
    build: ['gcc', 'libc6-dev', 'pkg-config', 'default-libmysqlclient-dev'],
    runtime: ['libmariadb3'],
  },
  'python-ldap': {
    build: ['gcc', 'libc6-dev', 'libldap-dev', 'libsasl2-dev'],
    runtime: ['libldap2', 'libsasl2-2'],
  },
  pycurl: { build: ['gcc', 'libc6-dev', 'libcurl4-openssl-dev', 'libssl-dev'], runtime: ['libcurl4t64'] },
};

const COMPILER = ['gcc', 'libc6-dev'];

// Images are built for linux/amd64 and linux/arm64; a package needs building if either lacks a wheel.
const ARCHES = ['x86_64', 'aarch64'] as const;

/** Whether a wheel file name installs on CPython `python` (X.Y) on glibc Linux for `arch`. */
export function wheelFits(wheel: string, python: string, arch: string): boolean {
  const parts = wheel.replace(/\.whl$/, '').split('-');
  if (parts.length < 5) return false;
  const [pyTags = '', abiTags = '', platTags = ''] = parts.slice(-3);
  const [major, minor] = python.split('.').map(Number);
  const cp = `cp${major}${minor}`;
  const platformOk = platTags
    .split('.')
    .some(
      (p) => p === 'any' || ((p.startsWith('manylinux') || p.startsWith('linux_')) && p.endsWith(`_${arch}`)),
    );
  if (!platformOk) return false;
  const abis = abiTags.split('.');
  return pyTags.split('.').some((tag) => {
    if (tag === 'py3' || tag === `py${major}${minor}`) return true;
    if (/^py3\d+$/.test(tag)) return Number(tag.slice(3)) <= (minor ?? 0) && abis.includes('none');
    if (tag === cp) return abis.includes(cp) || abis.includes('abi3') || abis.includes('none');
    // abi3 wheels built for an older CPython work on newer ones.
    const older = /^cp3(\d+)$/.exec(tag);
    return older !== null && Number(older[1]) <= (minor ?? 0) && abis.includes('abi3');
  });
}

/**
 * The packages the project installs on Linux that ship native wheels (CPython-specific, not
 * `none` ABI) but none for CPython `python` on x86_64, as `name version`: without one, each builds
 * from its sdist. Without the project's lock entry, every locked package counts.
 */
export function lockWheelsLacking(lock: Lock, project: LockPackage | undefined, python: string): string[] {
  const packages = project ? runtimePackages(lock, project, python) : lock.packages;
  return packages
    .filter((pkg) => {
      const native = pkg.wheels.filter((w) => !/-none-any\.whl$/.test(w));
      return native.length > 0 && !native.some((w) => wheelFits(w, python, 'x86_64'));
    })
    .map((pkg) => `${pkg.name}${pkg.version ? ` ${pkg.version}` : ''}`);
}

/** Whether every package with native wheels has one for CPython `python` (see lockWheelsLacking). */
export function lockWheelsFit(lock: Lock, project: LockPackage | undefined, python: string): boolean {
  return lockWheelsLacking(lock, project, python).length === 0;
}

/**
 * Packages the project installs at runtime: its dependencies (with requested extras),
 * transitively. With `python`, a dependency whose marker fails on Linux for that Python on
 * every image architecture (`sys_platform == 'win32'`) is not installed, so it is left out.
 */
export function runtimePackages(lock: Lock, project: LockPackage, python?: string): LockPackage[] {
  const envs = python ? ARCHES.map((arch) => linuxEnvironment(python, arch)) : [];
  const installs = (marker: string | undefined) =>
    marker === undefined || envs.length === 0 || envs.some((env) => evaluateMarker(marker, env) !== false);
  const byName = new Map<string, LockPackage[]>();
  for (const pkg of lock.packages) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
  const found = new Set<LockPackage>();
  // A package is visited once per set of extras asked of it: extras add dependencies.
  const visited = new Set<string>();
  const queue: { pkg: LockPackage; extras: readonly string[] }[] = [{ pkg: project, extras: [] }];
  for (let item = queue.shift(); item; item = queue.shift()) {
    const { pkg, extras } = item;
    const deps = [...pkg.dependencies, ...extras.flatMap((e) => pkg.optionalDependencies[e] ?? [])];
    for (const dep of deps) {
      if (!installs(dep.marker)) continue;
      for (const next of byName.get(dep.name) ?? []) {
        const key = `${next.name}@${next.version}[${dep.extras.join(',')}]`;
        if (visited.has(key)) continue;
        visited.add(key);
        found.add(next);
        queue.push({ pkg: next, extras: dep.extras });
      }
    }
  }
  found.delete(project);
  return [...found].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Debian packages the two stages need for dependencies that have no wheel for the target,
 * plus `[tool.slipway] apt` on top. A package with wheels needs nothing.
 */
export function nativeNeeds(
  lock: Lock,
  project: LockPackage,
  python: string,
  extra: { readonly build: readonly string[]; readonly runtime: readonly string[] },
): NativeNeeds {
  const build = new Set<string>();
  const runtime = new Set<string>();
  const reasons: string[] = [];
  for (const pkg of runtimePackages(lock, project, python)) {
    if (typeof pkg.source.git === 'string') {
      // uv clones git sources while it installs: git in the builder only, never in the image.
      build.add('git');
      reasons.push(
        `${pkg.name} comes from git (${pkg.source.git.replace(/[?#].*$/, '')}): git in the builder stage`,
      );
      continue;
    }
    if (pkg.source.registry === undefined) continue;
    const missing = ARCHES.filter((arch) => !pkg.wheels.some((w) => wheelFits(w, python, arch)));
    if (missing.length === 0) continue;
    const version = pkg.version ? ` ${pkg.version}` : '';
    const known = NATIVE_PACKAGES[pkg.name];
    // Wheels for other Pythons or platforms mean compiled code: its sdist needs a C compiler.
    const compiled = pkg.wheels.some((w) => !/-none-any\.whl$/.test(w));
    const where = missing.length === ARCHES.length ? 'Linux' : `Linux ${missing.join(', ')}`;
    if (known) {
      for (const p of known.build) build.add(p);
      for (const p of known.runtime) runtime.add(p);
      reasons.push(
        `${pkg.name}${version} has no wheel for Python ${python} on ${where}: ${[...known.build, ...known.runtime].join(', ')}`,
      );
    } else if (compiled && pkg.hasSdist) {
      for (const p of COMPILER) build.add(p);
      reasons.push(
        `${pkg.name}${version} has no wheel for Python ${python} on ${where}: built from its sdist with ${COMPILER.join(', ')} (add [tool.slipway] apt.build packages for the headers it needs)`,
      );
    } else {
      reasons.push(
        `${pkg.name}${version} has no wheel for Python ${python} on ${where}: built from its sdist (add [tool.slipway] apt.build packages if it needs a compiler)`,
      );
    }
  }
  for (const p of extra.build) {
    if (!build.has(p)) reasons.push(`${p}: [tool.slipway] apt.build`);
  }
  for (const p of extra.runtime) {
    if (!runtime.has(p)) reasons.push(`${p}: [tool.slipway] apt.runtime`);
  }
  return {
    build: [...[...build].sort(), ...extra.build.filter((p) => !build.has(p))],
    runtime: [...[...runtime].sort(), ...extra.runtime.filter((p) => !runtime.has(p))],
    reasons,
  };
}
