import { tryGet } from './http.js';

/** The routes a running app declares in its OpenAPI document. */
export interface RuntimeRoutes {
  /** `GET /items/{id}`, in document order. */
  readonly routes: readonly string[];
  readonly paths: readonly string[];
  readonly version: string;
  readonly bytes: number;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Reads the OpenAPI document; a string says why there is none (an error, a status, bad JSON). */
export async function readRuntimeRoutes(baseUrl: string, path: string): Promise<RuntimeRoutes | string> {
  const answer = await tryGet(`${baseUrl}${path}`, 10_000);
  if ('error' in answer) return `GET ${path}: ${answer.error}`;
  if (answer.status !== 200) return `GET ${path} → ${answer.status}`;
  let doc: { openapi?: unknown; paths?: unknown };
  try {
    doc = JSON.parse(answer.body) as typeof doc;
  } catch {
    return `GET ${path} → 200 but not JSON: ${answer.body.slice(0, 120)}`;
  }
  if (typeof doc.openapi !== 'string' || !doc.paths || typeof doc.paths !== 'object') {
    return `GET ${path} → 200 but the document has no \`openapi\` version or \`paths\``;
  }
  const paths = Object.keys(doc.paths);
  const routes: string[] = [];
  for (const [route, item] of Object.entries(doc.paths as Record<string, unknown>)) {
    const methods = item && typeof item === 'object' ? Object.keys(item).filter((m) => METHODS.has(m)) : [];
    for (const method of methods.length > 0 ? methods : ['get'])
      routes.push(`${method.toUpperCase()} ${route}`);
  }
  return { routes, paths, version: doc.openapi, bytes: answer.body.length };
}

/** `/items/` and `/items` are one route to a client that follows FastAPI's redirect. */
export function samePath(a: string, b: string): boolean {
  const strip = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  return strip(a) === strip(b);
}

/** A list for evidence that stays readable. */
export function listed(items: readonly string[], max = 25): string {
  if (items.length === 0) return '(none)';
  const shownItems = items.slice(0, max).join(', ');
  return items.length > max ? `${shownItems}, … ${items.length - max} more` : shownItems;
}
