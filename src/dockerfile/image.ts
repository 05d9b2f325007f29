import { readUser } from '../policy/user.js';
import { type DockerfileFacts, finalStage, inheritedSteps } from './facts.js';

/** What the final image declares, for the rules that compare it with the manifests. */
export interface ImageFacts {
  readonly dockerfile: DockerfileFacts;
  /** Numeric USER of the final stage; undefined when absent or a name (SLW-D002 reports those). */
  readonly user:
    | { readonly uid: number; readonly gid: number | undefined; readonly line: number }
    | undefined;
  readonly exposed: { readonly ports: readonly number[]; readonly line: number } | undefined;
}

export function imageFacts(dockerfile: DockerfileFacts): ImageFacts {
  const stage = finalStage(dockerfile);
  const steps = stage ? inheritedSteps(dockerfile, stage) : [];
  const lastUser = steps.filter((step) => step.keyword === 'USER').pop();
  const verdict = readUser(lastUser?.args);
  const user =
    lastUser && (verdict.kind === 'numeric' || verdict.kind === 'group-name')
      ? { uid: verdict.uid, gid: verdict.kind === 'numeric' ? verdict.gid : undefined, line: lastUser.line }
      : undefined;
  const exposes = steps.filter((step) => step.keyword === 'EXPOSE');
  const ports = exposes
    .flatMap((step) => step.args.trim().split(/\s+/))
    .map((port) => Number(port.split('/')[0]))
    .filter((port) => Number.isInteger(port) && port > 0);
  const last = exposes[exposes.length - 1];
  return { dockerfile, user, exposed: last && ports.length > 0 ? { ports, line: last.line } : undefined };
}

/** The Dockerfile that builds the app: `Dockerfile` at the root when there are several. */
export function primaryDockerfile(dockerfiles: readonly DockerfileFacts[]): DockerfileFacts | undefined {
  return dockerfiles.find((d) => d.path === 'Dockerfile') ?? dockerfiles[0];
}
