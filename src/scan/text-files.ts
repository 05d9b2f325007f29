/**
 * Files that cannot hold text, by their names: compiled code, compressed data, images, fonts,
 * message catalogues. The secret scanner would read their bytes only to find them binary; not
 * buffering them saves about half of what a pass copies on a Python image (every `.pyc`, the
 * shared libraries). Credentials in binary containers (`.p12`, `.jks`) are none of these names.
 */
const BINARY =
  /\.(?:pyc|pyo|so(?:\.\d+)*|a|o|ko|class|wasm|png|gif|jpe?g|ico|webp|bmp|tiff?|woff2?|ttf|otf|eot|mo|gz|tgz|xz|bz2|zst|lz4|zip|whl|jar|deb)$/i;

export function cannotHoldText(path: string): boolean {
  return BINARY.test(path);
}
