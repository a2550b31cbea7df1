/**
 * Whether a permission list allows something. Explicit lists are followed; a token that says
 * nothing (an opaque one, `null`) allows reading and copying, and shows no download or print.
 * UI hints only: the server decides what it serves.
 */
export function permits(list: readonly string[] | null, permission: string): boolean {
  return list === null ? permission === 'read' || permission === 'copy' : list.includes(permission);
}
