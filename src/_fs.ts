// Private: file-system helpers shared by the loaders and the command line.

/**
 * The file info of `path`, or undefined when nothing is there (not found, or
 * a path through a file). Other errors (no permission, ...) are thrown.
 */
export function statOrUndefined(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.statSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
}
