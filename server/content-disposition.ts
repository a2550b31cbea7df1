// Content-Disposition for a stored title: an ASCII-only, quote-free file name plus an RFC 8187
// UTF-8 variant, so no title can break out of the header.

export function contentDisposition(kind: 'inline' | 'attachment', title: string): string {
  const base = title.replace(/\.pdf$/i, '').trim() || 'document';
  const ascii = base.replace(/[^A-Za-z0-9 ._-]+/g, '_').slice(0, 100).trim() || 'document';
  return `${kind}; filename="${ascii}.pdf"; filename*=UTF-8''${encodeURIComponent(`${base.slice(0, 100)}.pdf`)}`;
}
