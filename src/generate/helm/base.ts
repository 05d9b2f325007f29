import { isMap, isScalar, parseDocument } from 'yaml';
import type { ProjectModel } from '../../analyze/model.js';
import { generateFiles } from '../index.js';
import { BASE } from '../k8s/kustomize.js';
import type { Json } from '../k8s/objects.js';

/**
 * The Kustomize base's objects, read back from what the k8s builders write: the chart is made
 * from these, so the two outputs come from one model and one set of builders.
 */

export interface BaseObject {
  /** The base's file name (`deployment.yaml`): the chart template takes the same name. */
  readonly file: string;
  readonly object: { readonly [key: string]: Json };
  /** The comment the builder wrote above the object, if any. */
  readonly comment: string | undefined;
  /** Comments the builder wrote above keys of the object's `data` map (a ConfigMap's notes). */
  readonly dataNotes: ReadonlyMap<string, string>;
}

export function baseObjects(model: ProjectModel): BaseObject[] {
  const prefix = `${BASE}/`;
  return Object.entries(generateFiles(model))
    .filter(([path]) => path.startsWith(prefix) && path.endsWith('.yaml'))
    .map(([path, text]) => ({ file: path.slice(prefix.length), text }))
    .filter(({ file }) => file !== 'kustomization.yaml' && !file.includes('/'))
    .map(({ file, text }) => {
      const doc = parseDocument(text);
      const object = doc.toJS() as { [key: string]: Json };
      const notes = new Map<string, string>();
      const data = doc.get('data', true);
      if (isMap(data)) {
        data.items.forEach((item, index) => {
          if (!isScalar(item.key)) return;
          // Read back, the comment above a map's first key belongs to the map itself.
          const note = (index === 0 ? data.commentBefore : item.key.commentBefore)?.trim();
          if (note) notes.set(String(item.key.value), note);
        });
      }
      return { file, object, comment: doc.commentBefore?.replace(/^ /gm, '') ?? undefined, dataNotes: notes };
    });
}

/** The base's object of one kind; a base without it is a bug in the generator. */
export function baseObject(objects: readonly BaseObject[], kind: string): BaseObject {
  const found = objects.find((entry) => entry.object.kind === kind);
  if (!found) throw new Error(`the Kustomize base has no ${kind}`);
  return found;
}
