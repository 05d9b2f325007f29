import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../src/analyze/index.js';
import { generateFiles } from '../../src/generate/index.js';
import { withMarker } from '../../src/generate/write.js';
import { repoRoot } from '../helpers/cli.js';

// analyze + generate on every good fixture project, kept as golden {path: content} files: any
// change to what init writes for a real project shows up in review as a diff of these files.
const projects = join(repoRoot, 'test', 'fixtures', 'projects');
const fixtures = readdirSync(projects, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'bad')
  .map((entry) => (entry.name === 'workspace-member' ? join(entry.name, 'services', 'api') : entry.name));

describe.each(fixtures)('init output for %s', (fixture) => {
  it('matches the golden files', async () => {
    const model = await analyzeProject(join(projects, fixture));
    const files = generateFiles(model);
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(10);
    for (const [path, content] of Object.entries(files)) {
      await expect(withMarker(content)).toMatchFileSnapshot(join('__golden__', fixture, path));
    }
  });
});
