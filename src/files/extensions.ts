/**
 * The one list of image extensions. Kept free of sharp so `pixel staged` can
 * filter paths without loading it; which of them this build of sharp really
 * decodes is `IMAGE_EXTENSIONS` in inputs.ts.
 */

/** Every extension pixel treats as an image (`pixel staged` picks them all, so an undecodable one is reported, not ignored). */
export const KNOWN_IMAGE_EXTENSIONS: readonly string[] = ['png', 'jpg', 'jpeg', 'webp', 'avif', 'tif', 'tiff', 'gif', 'svg', 'heic', 'heif', 'jxl'];

/** Those read only when the installed libvips has their decoder (HEIC, JPEG XL). */
export const OPTIONAL_IMAGE_EXTENSIONS: readonly string[] = ['heic', 'heif', 'jxl'];

/** Whether a path ends in `.<ext>` for one of `extensions` (any case). */
export function hasExtension(path: string, extensions: readonly string[]): boolean {
  const dot = path.lastIndexOf('.');
  return dot >= 0 && extensions.includes(path.slice(dot + 1).toLowerCase());
}
