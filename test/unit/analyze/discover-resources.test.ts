import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../../src/analyze/index.js';
import { parseModule } from '../../../src/analyze/python-source.js';
import { findRuntimeFiles, runtimeFilesToCopy } from '../../../src/analyze/runtime-files.js';
import { dockerfile } from '../../../src/generate/dockerfile.js';
import { repoRoot } from '../../helpers/cli.js';
import { writeProject } from './helpers.js';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'projects', name);

const FILES = {
  'src/shop/__init__.py': '',
  'src/shop/prompts/system.txt': 'hi',
  'src/shop/data/rates.json': '{}',
  'src/shop/sql/schema.sql': 'select 1',
  'src/shop/templates/mail.html': '<p></p>',
  'src/shop/emails/__init__.py': '',
  'src/shop/emails/welcome.txt': 'welcome',
  'src/shop/certs/ca.pem': 'pem',
  'src/assets/logo.svg': '<svg/>',
};

const MAIN = `import importlib.resources
import importlib_resources
from importlib import resources
from importlib.resources import as_file, files

PROMPT = (files(__package__) / "prompts" / "system.txt").read_text()
RATES = files("shop").joinpath("data", "rates.json").read_bytes()
SCHEMA = resources.read_text("shop", "sql/schema.sql")
WELCOME = importlib.resources.files("shop.emails").joinpath("welcome.txt").read_text()
TEMPLATES = importlib_resources.files("shop") / "templates"
for template in TEMPLATES.iterdir():
    pass
with as_file(files("shop") / "certs" / "ca.pem") as ca:
    pass
LOGO = (files("assets") / "logo.svg").read_text()
UNKNOWN = files(some_variable).read_text()
`;

function modules() {
  return [
    parseModule('shop', 'src/shop/__init__.py', ''),
    parseModule('shop.emails', 'src/shop/emails/__init__.py', ''),
    parseModule('shop.main', 'src/shop/main.py', MAIN),
  ];
}

describe('importlib.resources reads', () => {
  it('resolve to the package folders they name, as package data', () => {
    const root = writeProject(FILES);
    const found = findRuntimeFiles(root, modules(), ['fastapi'], ['src']);
    expect(found.map((f) => [f.path, f.besideModule === true])).toEqual([
      ['src/assets/logo.svg', true],
      ['src/shop/certs/ca.pem', true],
      ['src/shop/data/rates.json', true],
      ['src/shop/emails/welcome.txt', true],
      ['src/shop/prompts/system.txt', true],
      ['src/shop/sql/schema.sql', true],
      ['src/shop/templates', true],
    ]);
    expect(found.find((f) => f.path === 'src/shop/sql/schema.sql')?.why).toBe(
      'importlib.resources in src/shop/main.py:8',
    );
  });

  it('are not copied twice: what the wheel (or a copied source) holds stays out of the copy list', () => {
    const root = writeProject(FILES);
    const packaged = runtimeFilesToCopy(root, modules(), [], true, [], ['src/shop'], ['src']);
    expect(packaged.map((f) => f.path)).toEqual(['src/assets/logo.svg']);
    const virtual = runtimeFilesToCopy(root, modules(), [], false, ['src/shop'], ['src/shop'], ['src']);
    expect(virtual.map((f) => f.path)).toEqual(['src/assets/logo.svg']);
  });

  it('in the fixture: the namespace data folder is copied and importable, package data is not copied', async () => {
    const model = await analyzeProject(fixture('discover-package-resources'));
    expect(model.runtimeFiles?.map((f) => f.path)).toEqual(['src/schemas/quote.json']);
    const text = dockerfile(model);
    expect(text).toContain('COPY --chown=0:0 src/schemas/quote.json /app/src/schemas/quote.json');
    expect(text).toContain('PYTHONPATH=/app/src');
    expect(text).not.toMatch(/COPY --chown=0:0 src\/quotes/);
  });
});

describe('pdm-backend includes', () => {
  it('copies the package the app imports that the wheel leaves out', async () => {
    const model = await analyzeProject(fixture('discover-pdm-includes'));
    expect(model.outsideWheel).toEqual(['worker']);
    const text = dockerfile(model);
    expect(text).toContain('COPY --chown=0:0 worker /app/worker');
    expect(text).toContain('PYTHONPATH=/app');
  });
});
