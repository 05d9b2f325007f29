import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import { detectLayout } from '../../../src/analyze/layout.js';
import { parsePyproject } from '../../../src/analyze/pyproject.js';
import { repoRoot } from '../../helpers/cli.js';
import { writeProject } from './helpers.js';

const layoutOf = (toml: string, files: Record<string, string>) => {
  const dir = writeProject(files);
  const project = parsePyproject(
    `${dir}/pyproject.toml`,
    dir,
    parse(`[project]\nname = "ledger"\nversion = "1"\n${toml}`),
  );
  return detectLayout(project);
};

describe('src/ as a package or as an import root', () => {
  it.each([
    [
      'a virtual project with src/__init__.py: src is the package',
      '',
      { 'src/__init__.py': '', 'src/main.py': '' },
      'flat',
      ['.'],
    ],
    [
      'setuptools with src/__init__.py: src is the package',
      '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',
      { 'src/__init__.py': '', 'src/main.py': '' },
      'flat',
      ['.'],
    ],
    [
      'a virtual project with src/ and no __init__.py: src is the import root',
      '',
      { 'src/main.py': '' },
      'src',
      ['src'],
    ],
    [
      'uv_build ignores src/__init__.py: its module root stays src',
      '[build-system]\nrequires = ["uv_build"]\nbuild-backend = "uv_build"\n',
      { 'src/__init__.py': '', 'src/ledger/__init__.py': '' },
      'src',
      ['src'],
    ],
    [
      'a configured module-root wins over src/__init__.py',
      '[tool.uv.build-backend]\nmodule-root = "src"\n',
      { 'src/__init__.py': '', 'src/ledger/__init__.py': '' },
      'src',
      ['src'],
    ],
  ])('%s', (_, toml, files, layout, roots) => {
    const found = layoutOf(toml, files as Record<string, string>);
    expect(found.layout).toBe(layout);
    expect(found.sourceRoots).toEqual(roots);
  });

  it('names the app by its package when src/ is one (relative imports inside it work only so)', async () => {
    const model = await analyzeProject(join(repoRoot, 'test', 'fixtures', 'projects', 'discover-src-init'));
    expect(`${model.app.module}:${model.app.attribute}`).toBe('src.main:app');
    expect(model.layout).toBe('flat');
    expect(model.health.liveness).toBe('/healthz');
  });
});
