import { expect } from '@open-wc/testing';
import { keyAction, type KeyAction } from '../../src/ui/keyboard.ts';

type Modifiers = Pick<KeyboardEventInit, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

/** A key press dispatched on `target` (composed, as from inside the element), read while it travels. */
function pressOn(target: EventTarget, key: string, modifiers: Modifiers = {}, listenOn: EventTarget = target): KeyAction | null {
  let action: KeyAction | null | undefined;
  const listener = (event: Event) => {
    action = keyAction(event as KeyboardEvent);
  };
  listenOn.addEventListener('keydown', listener);
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, ...modifiers }));
  listenOn.removeEventListener('keydown', listener);
  if (action === undefined) throw new Error('the key press never reached the listener');
  return action;
}

describe('keyAction', () => {
  let host: HTMLDivElement;
  let viewport: HTMLDivElement;

  beforeEach(() => {
    host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    viewport = document.createElement('div');
    viewport.tabIndex = 0;
    root.append(viewport);
    document.body.append(host);
  });

  afterEach(() => host.remove());

  it('turns pages with PageUp/PageDown and the side arrows, and jumps with Home/End', () => {
    expect(pressOn(viewport, 'PageDown')).to.deep.equal({ kind: 'page', delta: 1 });
    expect(pressOn(viewport, 'ArrowRight')).to.deep.equal({ kind: 'page', delta: 1 });
    expect(pressOn(viewport, 'PageUp')).to.deep.equal({ kind: 'page', delta: -1 });
    expect(pressOn(viewport, 'ArrowLeft')).to.deep.equal({ kind: 'page', delta: -1 });
    expect(pressOn(viewport, 'Home')).to.deep.equal({ kind: 'first' });
    expect(pressOn(viewport, 'End')).to.deep.equal({ kind: 'last' });
  });

  it('scrolls 40 px with the up and down arrows', () => {
    expect(pressOn(viewport, 'ArrowDown')).to.deep.equal({ kind: 'scroll', delta: 40 });
    expect(pressOn(viewport, 'ArrowUp')).to.deep.equal({ kind: 'scroll', delta: -40 });
  });

  it('zooms and finds with Ctrl or Cmd', () => {
    for (const command of [{ ctrlKey: true }, { metaKey: true }]) {
      expect(pressOn(viewport, '+', command)).to.deep.equal({ kind: 'zoom-in' });
      expect(pressOn(viewport, '=', command)).to.deep.equal({ kind: 'zoom-in' });
      expect(pressOn(viewport, '-', command)).to.deep.equal({ kind: 'zoom-out' });
      expect(pressOn(viewport, '_', command)).to.deep.equal({ kind: 'zoom-out' });
      expect(pressOn(viewport, '0', command)).to.deep.equal({ kind: 'zoom-reset' });
      expect(pressOn(viewport, 'f', command)).to.deep.equal({ kind: 'find' });
      expect(pressOn(viewport, 'F', { ...command, shiftKey: true })).to.deep.equal({ kind: 'find' });
    }
  });

  it('leaves other Ctrl/Cmd combinations to the browser (copy, print, save…)', () => {
    for (const key of ['c', 'p', 's', 'a', 'ArrowRight', 'PageDown', 'Home']) {
      expect(pressOn(viewport, key, { ctrlKey: true }), key).to.equal(null);
      expect(pressOn(viewport, key, { metaKey: true }), key).to.equal(null);
    }
  });

  it('ignores Alt combinations, AltGr (Ctrl+Alt) included', () => {
    expect(pressOn(viewport, 'ArrowRight', { altKey: true })).to.equal(null);
    expect(pressOn(viewport, 'Home', { altKey: true })).to.equal(null);
    expect(pressOn(viewport, '0', { ctrlKey: true, altKey: true })).to.equal(null);
    expect(pressOn(viewport, 'f', { metaKey: true, altKey: true })).to.equal(null);
  });

  it('ignores keys it does not use', () => {
    for (const key of ['a', ' ', 'Enter', 'Escape', 'Tab', '+', '0', 'f']) {
      expect(pressOn(viewport, key), key).to.equal(null);
    }
  });

  it('leaves navigation keys typed into a field inside the element to the field', () => {
    const fields = [document.createElement('input'), document.createElement('textarea'), document.createElement('select')];
    for (const field of fields) {
      viewport.append(field);
      for (const key of ['ArrowLeft', 'ArrowRight', 'Home', 'End', 'ArrowDown', 'PageDown']) {
        // Read where the element listens: on the host, outside the shadow root.
        expect(pressOn(field, key, {}, host), `${field.localName} ${key}`).to.equal(null);
      }
    }
  });

  it('still zooms and finds from a field (Ctrl/Cmd keys are not text)', () => {
    const input = document.createElement('input');
    viewport.append(input);
    expect(pressOn(input, 'f', { ctrlKey: true }, host)).to.deep.equal({ kind: 'find' });
    expect(pressOn(input, '+', { ctrlKey: true }, host)).to.deep.equal({ kind: 'zoom-in' });
  });

  it('acts on keys from non-field elements in the shadow root, read from the host', () => {
    const button = document.createElement('button');
    viewport.append(button);
    expect(pressOn(button, 'ArrowRight', {}, host)).to.deep.equal({ kind: 'page', delta: 1 });
  });
});
