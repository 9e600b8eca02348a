/**
 * The k-th largest of values[0..count) (1 ≤ k ≤ count), by quickselect (Hoare partition, middle pivot);
 * reorders the values. Expected O(count).
 */
export function kthLargest(values: Float64Array, count: number, k: number): number {
  const target = k - 1;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    // Descending: values ≥ pivot to the left, ≤ pivot to the right.
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else return values[target]!;
  }
  return values[target]!;
}
