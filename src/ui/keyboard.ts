import type { Zoom } from '../pdf/zoom.ts';

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

/** What the keymap acts on: the element… */
export interface KeyHost {
  page: number;
  readonly numPages: number;
  zoom: Zoom;
  goToPage(page: number): void;
}

/** …and the reader's controls. */
export interface KeyControls {
  scrollBy(delta: number): void;
  zoomBy(direction: 1 | -1): void;
  openFind(): void;
  toggleSidebar(fromKeyboard: boolean): void;
}

/** Acts on a key press that the keymap knows (and keeps it from the page); false for any other. */
export function runKey(event: KeyboardEvent, host: KeyHost, controls: KeyControls): boolean {
  const action = keyAction(event);
  if (!action) return false;
  event.preventDefault();
  switch (action.kind) {
    case 'page':
      host.goToPage(host.page + action.delta);
      break;
    case 'first':
      host.goToPage(1);
      break;
    case 'last':
      host.goToPage(host.numPages);
      break;
    case 'scroll':
      controls.scrollBy(action.delta);
      break;
    case 'zoom-in':
      controls.zoomBy(1);
      break;
    case 'zoom-out':
      controls.zoomBy(-1);
      break;
    case 'zoom-reset':
      host.zoom = 'auto';
      break;
    case 'find':
      controls.openFind();
      break;
    case 'sidebar':
      controls.toggleSidebar(true);
      break;
  }
  return true;
}
