/** `bytes a-b/total` → numbers; anything else (including `*` totals) → null. */
export function parseContentRange(value: string | null): { start: number; end: number; total: number } | null {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+)\s*$/i.exec(value ?? '');
  if (!match) return null;
  const [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (end < start || end >= total) return null;
  return { start, end, total };
}
