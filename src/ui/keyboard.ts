/** What a key press inside the element asks for. */
export type KeyAction =
  | { kind: 'page'; delta: number }
  | { kind: 'first' }
  | { kind: 'last' }
  | { kind: 'scroll'; delta: number }
  | { kind: 'zoom-in' }
  | { kind: 'zoom-out' }
  | { kind: 'zoom-reset' }
  | { kind: 'find' }
  | { kind: 'sidebar' };

/** Keys typed into a field stay with the field. */
function isTextField(target: EventTarget | undefined): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * Maps a key press inside the element to a viewer action: PageUp/PageDown and ←/→ turn pages,
 * Home/End go to the first and last page, ↑/↓ scroll, Ctrl/Cmd with + − 0 zoom, Ctrl/Cmd+F finds, F4 opens or closes the sidebar.
 */
export function keyAction(event: KeyboardEvent): KeyAction | null {
  const command = event.ctrlKey || event.metaKey;
  if (command && !event.altKey) {
    switch (event.key) {
      case '+':
      case '=':
        return { kind: 'zoom-in' };
      case '-':
      case '_':
        return { kind: 'zoom-out' };
      case '0':
        return { kind: 'zoom-reset' };
      case 'f':
      case 'F':
        return { kind: 'find' };
      default:
        return null;
    }
  }
  if (event.altKey || command || isTextField(event.composedPath()[0])) return null;
  switch (event.key) {
    case 'PageDown':
    case 'ArrowRight':
      return { kind: 'page', delta: 1 };
    case 'PageUp':
    case 'ArrowLeft':
      return { kind: 'page', delta: -1 };
    case 'Home':
      return { kind: 'first' };
    case 'End':
      return { kind: 'last' };
    case 'ArrowDown':
      return { kind: 'scroll', delta: 40 };
    case 'ArrowUp':
      return { kind: 'scroll', delta: -40 };
    case 'F4':
      // pdf.js's own viewer toggles its sidebar with F4 too.
      return { kind: 'sidebar' };
    default:
      return null;
  }
}
