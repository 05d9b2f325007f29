import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type PythonModule, parseModule } from '../../../src/analyze/python-source.js';

/** Writes `{path: content}` into a fresh temporary folder and returns its path. */
export function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-analyze-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Parses `{module name: source}` as the modules of one project (file names follow the names). */
export function modulesOf(sources: Record<string, string>): PythonModule[] {
  return Object.entries(sources).map(([name, source]) => {
    const isPackage = name.endsWith('/__init__');
    const moduleName = name.replace(/\/__init__$/, '');
    const file = `${moduleName.split('.').join('/')}${isPackage ? '/__init__' : ''}.py`;
    return parseModule(moduleName, file, source);
  });
}

export const PYPROJECT = `[project]
name = "demo"
version = "1.0.0"
requires-python = ">=3.12"
dependencies = ["fastapi>=0.115.0", "uvicorn>=0.30.0"]
`;

/** A uv.lock that matches PYPROJECT (uv records only what pyproject.toml said). */
export const LOCK = `version = 1
revision = 5
requires-python = ">=3.12"

[[package]]
name = "demo"
version = "1.0.0"
source = { virtual = "." }
dependencies = [{ name = "fastapi" }, { name = "uvicorn" }]

[package.metadata]
requires-dist = [
    { name = "fastapi", specifier = ">=0.115.0" },
    { name = "uvicorn", specifier = ">=0.30.0" },
]
`;
