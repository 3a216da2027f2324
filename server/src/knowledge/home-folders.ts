/**
 * The folders ProtectHome= hides (/home, /root, /run/user) and whether a path lies below one of them.
 * Shared by the breaks-protect-home rule and the suggestion hold-back (exposure/breakage.ts).
 */
export const HOME_FOLDERS: readonly string[] = ['/home', '/root', '/run/user'];

/** The folder of HOME_FOLDERS a path lies strictly below (the folder itself stays, empty), or undefined. */
export function homeFolderAbove(path: string): string | undefined {
  return HOME_FOLDERS.find((d) => path.startsWith(d + '/') && path.length > d.length + 1);
}
