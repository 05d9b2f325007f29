/**
 * What a container user (`USER` in a Dockerfile, `User` in an image config) says about who the
 * process runs as. Check (SLW-D002), verify (verify.non-root) and scan (scan.hardening.root-user)
 * all judge an image's user through this one reading; each stage words its own finding.
 */
export type UserVerdict =
  /** No user at all: the engine runs the process as root. */
  | { readonly kind: 'unset' }
  /** A numeric uid, with a numeric gid when one is given. */
  | { readonly kind: 'numeric'; readonly uid: number; readonly gid: number | undefined }
  /** A numeric uid with a group name: the kubelet cannot check runAsGroup against it. */
  | { readonly kind: 'group-name'; readonly uid: number; readonly group: string }
  /** A user name: only the image's /etc/passwd knows its uid, so runAsNonRoot cannot verify it. */
  | { readonly kind: 'name'; readonly name: string };

export function readUser(spec: string | undefined): UserVerdict {
  const text = (spec ?? '').trim();
  if (text === '') return { kind: 'unset' };
  const [user = '', group] = text.split(':');
  if (!/^\d+$/.test(user)) return { kind: 'name', name: user };
  const uid = Number(user);
  if (group === undefined || group === '') return { kind: 'numeric', uid, gid: undefined };
  if (!/^\d+$/.test(group)) return { kind: 'group-name', uid, group };
  return { kind: 'numeric', uid, gid: Number(group) };
}

/** Whether the user is root for certain: unset, uid 0, or the name `root`. */
export function runsAsRoot(verdict: UserVerdict): boolean {
  switch (verdict.kind) {
    case 'unset':
      return true;
    case 'name':
      return verdict.name === 'root';
    default:
      return verdict.uid === 0;
  }
}

/** `10001`, `10001:10001` → numbers; anything with a name in it → undefined. */
export function numericUser(spec: string): { uid: number; gid: number | undefined } | undefined {
  const verdict = readUser(spec);
  return verdict.kind === 'numeric' ? { uid: verdict.uid, gid: verdict.gid } : undefined;
}
