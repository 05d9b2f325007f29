import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDockerfile } from '../../src/adopt/dockerfile.js';
import { ownImage } from '../../src/adopt/image.js';
import { findDockerfiles, hasContainerFiles, isDockerfileName } from '../../src/dockerfile/discover.js';
import { parseDockerfile } from '../../src/dockerfile/facts.js';
import { ProjectError } from '../../src/errors.js';
import { withMarker } from '../../src/generate/write.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-adopt-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const FROM = 'FROM python:3.13-slim\nCMD ["uvicorn", "main:app"]\n';
const choose = (root: string, configured?: string, workspaceRoot?: string) =>
  chooseDockerfile({ root, workspaceRoot, configured, pyprojectFile: join(root, 'pyproject.toml') });

describe('Dockerfile discovery', () => {
  it.each([
    ['Dockerfile', true],
    ['Dockerfile.prod', true],
    ['api.Dockerfile', true],
    ['multistage.dockerfile', true],
    ['dockerfile', true],
    ['Dockerfile.dockerignore', false],
    ['api.Dockerfile.dockerignore', false],
    ['Dockerfiles.md', false],
    ['docker-compose.yml', false],
  ])('%s is a Dockerfile name: %s', (name, expected) => {
    expect(isDockerfileName(name)).toBe(expected);
  });

  it('finds them at the root first, then in folders; never in environments or nested projects', () => {
    const dir = project({
      'Dockerfile.prod': FROM,
      'multistage.Dockerfile': FROM,
      'dockerfiles/python313/Dockerfile': FROM,
      'docker/api.dockerfile': FROM,
      '.venv/lib/Dockerfile': FROM,
      'node_modules/x/Dockerfile': FROM,
      'libs/other/pyproject.toml': '[project]\nname = "other"\n',
      'libs/other/Dockerfile': FROM,
      'Dockerfile.dockerignore': '.venv\n',
    });
    expect(findDockerfiles(dir)).toEqual([
      'Dockerfile.prod',
      'multistage.Dockerfile',
      'docker/api.dockerfile',
      'dockerfiles/python313/Dockerfile',
    ]);
  });

  it('says whether a folder without pyproject.toml holds anything to check', () => {
    expect(hasContainerFiles(project({ 'README.md': 'x' }))).toBe(false);
    expect(hasContainerFiles(project({ 'api.Dockerfile': FROM }))).toBe(true);
    expect(hasContainerFiles(project({ 'deploy/k8s/base/x.yaml': 'a: 1\n' }))).toBe(true);
  });
});

describe('which Dockerfile builds the app', () => {
  it('slipway writes its own when the project has none', () => {
    const dir = project({ 'pyproject.toml': '' });
    expect(choose(dir)).toMatchObject({ origin: 'generated', source: 'none', path: join(dir, 'Dockerfile') });
  });

  it('keeps the only Dockerfile, wherever it is, built from the project folder', () => {
    const dir = project({
      'docker/api.Dockerfile': `FROM python:3.13-slim\nCOPY main.py .\n`,
      'main.py': '',
    });
    expect(choose(dir)).toMatchObject({
      origin: 'own',
      source: 'only-candidate',
      path: join(dir, 'docker/api.Dockerfile'),
      context: dir,
      ignoreFile: join(dir, '.dockerignore'),
      ignoreExists: false,
    });
  });

  it('takes the one the compose file builds, with its context and environment', () => {
    const dir = project({
      'Dockerfile.dev': FROM,
      'docker/api.Dockerfile': FROM,
      'compose.yaml':
        // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation, left to compose
        'services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/api.Dockerfile\n    environment:\n      - LOG_LEVEL=debug\n      - TOKEN=${TOKEN}\n  db:\n    image: postgres:17\n',
    });
    const choice = choose(dir);
    expect(choice).toMatchObject({
      origin: 'own',
      source: 'compose',
      path: join(dir, 'docker/api.Dockerfile'),
    });
    expect(choice.reason).toBe('built by service api of compose.yaml');
    expect(choice.composeEnvironment).toEqual({ LOG_LEVEL: 'debug' });
  });

  it('follows a compose file one folder up whose service builds this project', () => {
    const repo = project({
      'compose.yml': 'services:\n  backend:\n    build: ./backend\n  frontend:\n    build: ./frontend\n',
      'backend/Dockerfile': FROM,
      'backend/Dockerfile.test': FROM,
      'frontend/Dockerfile': 'FROM node:22\n',
    });
    expect(choose(join(repo, 'backend'))).toMatchObject({
      source: 'compose',
      context: join(repo, 'backend'),
    });
  });

  it('[tool.slipway] dockerfile wins; a name that does not exist is an error naming the candidates', () => {
    const dir = project({ Dockerfile: FROM, 'deploy.Dockerfile': FROM });
    expect(choose(dir, 'deploy.Dockerfile')).toMatchObject({
      source: 'slipway-config',
      path: join(dir, 'deploy.Dockerfile'),
    });
    const error = (() => {
      try {
        choose(dir, 'nope.Dockerfile');
      } catch (e) {
        return e;
      }
    })() as ProjectError;
    expect(error).toBeInstanceOf(ProjectError);
    expect(error.message).toMatch(/dockerfile = "nope.Dockerfile": no such file/);
    expect(error.fix).toMatch(/Dockerfile, deploy\.Dockerfile/);
  });

  it('among several, Dockerfile at the root (as docker build picks it); without one, none', () => {
    expect(choose(project({ Dockerfile: FROM, 'Dockerfile.dev': FROM }))).toMatchObject({
      origin: 'own',
      source: 'default-name',
    });
    const several = choose(
      project({ 'multistage.Dockerfile': FROM, 'dockerfiles/python313/Dockerfile': FROM }),
    );
    expect(several).toMatchObject({ origin: 'ambiguous' });
    expect(several.candidates).toEqual(['multistage.Dockerfile', 'dockerfiles/python313/Dockerfile']);
  });

  it("slipway's own marked Dockerfile stands once init --force wrote it", () => {
    const dir = project({
      Dockerfile: withMarker(FROM),
      'docker/api.Dockerfile': FROM,
      'compose.yaml':
        'services:\n  api:\n    build:\n      context: .\n      dockerfile: docker/api.Dockerfile\n',
    });
    expect(choose(dir)).toMatchObject({ origin: 'generated', source: 'slipway-marker' });
  });

  it('builds a workspace member from the workspace root when its Dockerfile copies from there', () => {
    const root = project({
      'uv.lock': '',
      'pyproject.toml': '',
      'services/api/pyproject.toml': '',
      'services/api/Dockerfile':
        'FROM python:3.13-slim\nCOPY uv.lock pyproject.toml ./\nCOPY services/api services/api\n',
    });
    const choice = choose(join(root, 'services/api'), undefined, root);
    expect(choice).toMatchObject({ origin: 'own', context: root });
    expect(choice.ignoreFile).toBe(join(root, 'services/api/Dockerfile.dockerignore'));
  });
});

describe('what their image says', () => {
  const image = (text: string) => ownImage(parseDockerfile('Dockerfile', text));

  it.each([
    [
      'CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "5001"]',
      5001,
      /--port 5001 in the command/,
    ],
    ['CMD ["fastapi", "run", "app/main.py", "--port=7000"]', 7000, /--port 7000/],
    [
      'CMD ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "-b", "0.0.0.0:8081", "app:app"]',
      8081,
      /-b 8081/,
    ],
    ['ENV PORT=9090\nCMD uvicorn app:app --port $PORT', 9090, /--port 9090/],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable with its default
    ['CMD ["sh", "-c", "alembic upgrade head && uvicorn app:app --port ${PORT:-8800}"]', 8800, /--port 8800/],
    ['EXPOSE 8443/tcp\nCMD ["python", "-m", "app"]', 8443, /EXPOSE 8443 \(Dockerfile:2\)/],
    ['CMD ["fastapi", "run", "app/main.py"]', 8000, /fastapi run's default/],
  ])('%s → port %d', (tail, port, from) => {
    const found = image(`FROM python:3.13-slim\n${tail}\n`).port;
    expect(found?.value).toBe(port);
    expect(found?.from).toMatch(from);
  });

  it('a command that names no port and no EXPOSE: no port', () => {
    expect(image('FROM python:3.13-slim\nCMD ["python", "-m", "app"]\n').port).toBeUndefined();
  });

  it.each([
    ['USER 10002:10003', { kind: 'ids', uid: 10002, gid: 10003 }],
    [
      'RUN groupadd -g 1500 web && useradd -u 1500 -g web web\nUSER web',
      { kind: 'ids', uid: 1500, gid: 1500 },
    ],
    ['RUN adduser --system --uid 999 --ingroup nogroup app\nUSER app', { kind: 'ids', uid: 999 }],
    [
      'RUN addgroup -g 2000 -S app && adduser -u 2001 -S -G app app\nUSER app:app',
      { kind: 'ids', uid: 2001, gid: 2000 },
    ],
    ['RUN useradd --create-home appuser\nUSER appuser', { kind: 'unresolved', name: 'appuser' }],
    ['USER root', { kind: 'root' }],
    ['USER 0', { kind: 'root' }],
    ['CMD ["x"]', { kind: 'root', line: undefined }],
  ])('%s → %o', (tail, user) => {
    expect(image(`FROM python:3.13-slim\n${tail}\n`).user).toMatchObject(user);
  });

  it('reads the USER of the stage the final one is built on', () => {
    const text = 'FROM python:3.13-slim AS base\nUSER 4000:4000\nFROM base\nCMD ["uvicorn", "a:app"]\n';
    expect(image(text).user).toMatchObject({ kind: 'ids', uid: 4000, gid: 4000 });
  });

  it('takes the health route its HEALTHCHECK requests', () => {
    const text =
      'FROM python:3.13-slim\nHEALTHCHECK CMD curl -f http://localhost:8000/api/v1/utils/health-check/ || exit 1\n';
    expect(image(text).healthPath).toBe('/api/v1/utils/health-check/');
  });
});
