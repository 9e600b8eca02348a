/** Ids per `IN (…)` query when loading a whole guild. */
export const ID_CHUNK = 5_000;

/** `items` in slices of at most `size`, in order. */
export function chunks<Item>(items: readonly Item[], size = ID_CHUNK): Item[][] {
  const out: Item[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}
