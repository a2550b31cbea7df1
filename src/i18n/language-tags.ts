/**
 * Whether the first language asked for is English, which is built in: then no chunk loads. Only
 * the first counts here; the localization chunk looks further (to the browser's languages after a
 * `lang` it does not ship).
 */
export function asksForEnglish(element: Element): boolean {
  return /^en\b/i.test(declaredLanguage(element) ?? navigator.language);
}

/** The `lang` that applies to the element (`''` says "unknown"), or null when none does. */
export function declaredLanguage(element: Element): string | null {
  for (let node: Element | undefined = element; node; node = (node.getRootNode() as ShadowRoot).host) {
    const lang = (node.closest('[lang]') as HTMLElement | null)?.lang;
    if (lang != null) return lang;
  }
  return null;
}
