/**
 * pdf.js's accessibility code (the structure tree of tagged PDFs, the pointers from the text layer
 * to annotations) finds the elements it links with `document.getElementById`, which cannot see
 * into a shadow root: figure descriptions, formulas and annotation links were silently dropped.
 * These wrappers run one of its synchronous methods with id lookups answered from our shadow root
 * first, then the document, and restore `document.getElementById` before returning.
 */

const WRAPPED = Symbol('secure-viewer.shadowIdLookup');

type Method = (...args: never[]) => unknown;

/** Runs `work` with `document.getElementById` also finding elements inside `root`. */
export function withShadowIdLookup<R>(root: ShadowRoot, work: () => R): R {
  const own = Object.getOwnPropertyDescriptor(document, 'getElementById');
  const lookup = document.getElementById;
  Object.defineProperty(document, 'getElementById', {
    configurable: true,
    writable: true,
    // Our root first: two viewers of the same PDF hold the same pdf.js ids, each in its own root.
    value: (id: string) => root.getElementById(id) ?? lookup.call(document, id),
  });
  try {
    return work();
  } finally {
    if (own) Object.defineProperty(document, 'getElementById', own);
    else delete (document as { getElementById?: unknown }).getElementById;
  }
}

/**
 * Makes `target[name]` (a synchronous method of one pdf.js object) look ids up in `root`. Only that
 * object is changed, once; pdf.js's classes and other viewers are untouched.
 */
export function resolveIdsInShadowRoot<T extends object>(target: T | null | undefined, name: keyof T & string, root: ShadowRoot): void {
  if (!target) return;
  const method = target[name] as unknown;
  if (typeof method !== 'function' || (method as { [WRAPPED]?: true })[WRAPPED]) return;
  const wrapped = function (this: unknown, ...args: never[]) {
    return withShadowIdLookup(root, () => (method as Method).apply(this, args));
  };
  Object.defineProperty(wrapped, WRAPPED, { value: true });
  Object.defineProperty(target, name, { configurable: true, writable: true, value: wrapped });
}
