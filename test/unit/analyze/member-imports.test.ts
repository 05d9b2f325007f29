import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import { detectLayout } from '../../../src/analyze/layout.js';
import { findProjectPackage, type Lock, readLock } from '../../../src/analyze/lock.js';
import { undeclaredMemberImports } from '../../../src/analyze/member-imports.js';
import { readPyproject } from '../../../src/analyze/pyproject.js';
import { parseModule, readPythonModules } from '../../../src/analyze/python-source.js';
import { findWorkspace } from '../../../src/analyze/workspace.js';
import { repoRoot } from '../../helpers/cli.js';

const fixtures = join(repoRoot, 'test', 'fixtures');
// A workspace whose api imports two members: common (a dependency) and audit (not one).
const undeclared = join(fixtures, 'workspaces', 'undeclared-member');
const declared = join(fixtures, 'projects', 'workspace-member');

async function pieces(root: string) {
  const project = await readPyproject(join(root, 'services', 'api'));
  const workspace = await findWorkspace(project);
  if (!workspace) throw new Error('not a workspace');
  const lock = await readLock(join(root, 'uv.lock'), project.file);
  const layout = detectLayout(project);
  const modules = await readPythonModules(project.dir, layout.sourceRoots, layout.sourcePaths);
  return {
    project,
    workspace,
    lock,
    modules,
    projectLock: findProjectPackage(lock, project, workspace.member),
  };
}

describe('a workspace member importing another member it does not depend on', () => {
  it('is a warning of analyze, naming the file, the member and the uv add that fixes it', async () => {
    const model = await analyzeProject(join(undeclared, 'services', 'api'));
    const found = (model.warnings ?? []).filter((w) => w.includes('workspace member'));
    expect(found).toEqual([
      'src/api_service/main.py imports audit, the package of the workspace member audit-log, but api-service does not depend on it: ' +
        "the image installs only api-service's dependencies, so the app would stop at start with ModuleNotFoundError; " +
        'add it: uv add --package api-service audit-log',
    ]);
  });

  it('says nothing of a member the project depends on', async () => {
    const model = await analyzeProject(join(declared, 'services', 'api'));
    expect((model.warnings ?? []).filter((w) => w.includes('workspace member'))).toEqual([]);
  });

  it('says nothing of a member that comes in through another member (a dependency of a dependency)', async () => {
    const { project, workspace, lock, modules, projectLock } = await pieces(undeclared);
    const through: Lock = {
      ...lock,
      packages: lock.packages.map((p) =>
        p.name === 'common'
          ? { ...p, dependencies: [...p.dependencies, { name: 'audit-log', extras: [] }] }
          : p,
      ),
    };
    expect(undeclaredMemberImports(project, workspace, through, projectLock, modules)).toEqual([]);
    expect(undeclaredMemberImports(project, workspace, lock, projectLock, modules)).toHaveLength(1);
  });

  it('reads submodule imports and `import x` forms too, and lists every file once', async () => {
    const { project, workspace, lock, projectLock } = await pieces(undeclared);
    const modules = [
      parseModule('api_service.jobs', 'src/api_service/jobs.py', 'import audit.sinks\n'),
      parseModule(
        'api_service.views',
        'src/api_service/views.py',
        'from audit import record as r\nimport audit\n',
      ),
      parseModule(
        'api_service.ok',
        'src/api_service/ok.py',
        'from .jobs import run\nfrom common import x\nimport auditing\n',
      ),
    ];
    const [warning, ...rest] = undeclaredMemberImports(project, workspace, lock, projectLock, modules);
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^src\/api_service\/jobs\.py, src\/api_service\/views\.py import audit, /);
  });
});
