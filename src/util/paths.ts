import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed slipway package (the folder with package.json), from dist/util or src/util. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The bundled reference backend: every command runs on it when given no path. */
export const exampleProject = join(packageRoot, 'examples', 'backend');

/** The test bed entry point, named in fix hints. */
export const testbedUp = join(packageRoot, 'scripts', 'testbed', 'up.sh');
