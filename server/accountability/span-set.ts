// Byte spans a token was served, merged: overlapping and touching spans become one, and past a
// bound the closest neighbours are joined (a record may then claim a few bytes between them that
// were not served, never miss one that was).

/** Bytes `start` to `end`, both inclusive. */
export type Span = readonly [start: number, end: number];

/** Spans a token's record keeps at most. */
export const MAX_SPANS = 4096;

/** `spans` sorted and merged, at most `max` of them. */
export function mergeSpans(spans: Iterable<Span>, max = MAX_SPANS): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  if (merged.length <= max) return merged;
  // Keep the max − 1 widest gaps; every other gap is closed.
  const gaps = merged.slice(1).map((span, i) => ({ i, width: span[0] - merged[i]![1] }));
  const kept = new Set(
    gaps
      .sort((a, b) => b.width - a.width)
      .slice(0, Math.max(0, max - 1))
      .map((gap) => gap.i),
  );
  const joined: Array<[number, number]> = [[merged[0]![0], merged[0]![1]]];
  for (let i = 1; i < merged.length; i++) {
    const span = merged[i]!;
    if (kept.has(i - 1)) joined.push([span[0], span[1]]);
    else joined[joined.length - 1]![1] = span[1];
  }
  return joined;
}

/**
 * Adds `added` to `spans` (sorted and merged, as {@link mergeSpans} leaves them) in place and
 * returns them: each added span is placed by binary search and merged with the spans it overlaps
 * or touches, so adding a few spans to many costs no copy of them. Past `max` the result is
 * reduced as {@link mergeSpans} would.
 */
export function addSpans(spans: Array<[number, number]>, added: Iterable<Span>, max = MAX_SPANS): Array<[number, number]> {
  for (const [start, end] of added) {
    // The first span that ends at or after the byte before `start`: the first one this may touch.
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (spans[middle]![1] + 1 < start) low = middle + 1;
      else high = middle;
    }
    let last = low;
    let joinedStart = start;
    let joinedEnd = end;
    while (last < spans.length && spans[last]![0] <= end + 1) {
      joinedStart = Math.min(joinedStart, spans[last]![0]);
      joinedEnd = Math.max(joinedEnd, spans[last]![1]);
      last++;
    }
    if (last === low) spans.splice(low, 0, [start, end]);
    else {
      spans[low]![0] = joinedStart;
      spans[low]![1] = joinedEnd;
      if (last > low + 1) spans.splice(low + 1, last - low - 1);
    }
  }
  return spans.length <= max ? spans : (mergeSpans(spans, max) as Array<[number, number]>);
}
