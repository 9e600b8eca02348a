const FNV_OFFSET = 2_166_136_261;
const FNV_PRIME = 16_777_619;
const encoder = new TextEncoder();

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** GUIDE §6: fold(user, item) = fnv1a32(utf8("${userId}:${movieId}")) % K + 1, in 1..K. */
export function foldOf(userId: string, itemId: number, folds = 5): number {
  return (fnv1a32(`${userId}:${itemId}`) % folds) + 1;
}
