import { expect } from '@open-wc/testing';
import type { SecureViewer, SvPasswordRequiredDetail } from '../src/index.ts';
import { backendUrl, contentRequests, contentUrl, createScenario, mintToken, requestLog, revokeTokens } from './helpers/backend.ts';
import { openViewer, pixelAt, renderedCanvas, sleep, waitFor, waitForState } from './helpers/viewer.ts';

const ACCESS_PASSWORD = 'reader-2026';
const PDF_PASSWORD = 'open-sesame';

function passwordUrl(id: string): string {
  return `${backendUrl}/api/documents/${id}/password-token`;
}

function dialog(el: SecureViewer): HTMLDialogElement | null {
  return el.shadowRoot!.querySelector<HTMLDialogElement>('[part="password-dialog"]');
}

function input(el: SecureViewer): HTMLInputElement {
  return el.shadowRoot!.querySelector<HTMLInputElement>('[part="password-input"]')!;
}

function message(el: SecureViewer): string {
  return el.shadowRoot!.querySelector('.password-message')?.textContent?.trim() ?? '';
}

function submitButton(el: SecureViewer): HTMLButtonElement {
  return el.shadowRoot!.querySelector<HTMLButtonElement>('[part="password-submit"]')!;
}

async function openDialog(el: SecureViewer): Promise<HTMLDialogElement> {
  return waitFor(() => {
    const node = dialog(el);
    return node?.open ? node : null;
  }, 10_000, () => `no open dialog (state ${el.state})`);
}

/** Types into the dialog and submits it the way a reader would (Enter in the field). */
async function submit(el: SecureViewer, password: string): Promise<void> {
  await waitFor(() => !submitButton(el).disabled && !input(el).readOnly);
  input(el).value = password;
  input(el).form!.requestSubmit();
  await el.updateComplete;
}

function passwordEvents(el: HTMLElement): SvPasswordRequiredDetail[] {
  const details: SvPasswordRequiredDetail[] = [];
  el.addEventListener('sv-password-required', (event) => details.push(event.detail));
  return details;
}

describe('access password', () => {
  it('asks, refuses a wrong password, accepts the right one and renders', async () => {
    const id = await createScenario('protected');
    const el = await openViewer();
    const events = passwordEvents(el);
    const consoleLines: string[] = [];
    const originalLog = console.log;
    const originalWarn = console.warn;
    const originalError = console.error;
    console.log = (...args: unknown[]) => consoleLines.push(args.map(String).join(' '));
    console.warn = console.log;
    console.error = console.log;
    try {
      el.passwordUrl = passwordUrl(id);
      el.src = contentUrl(id);
      await openDialog(el);
      expect(el.state).to.equal('password');
      expect(events).to.deep.equal([{ kind: 'access', retry: false }]);
      expect(el.shadowRoot!.activeElement).to.equal(input(el));
      expect(input(el).autocomplete).to.equal('current-password');
      await expect(el).to.be.accessible();

      await submit(el, 'wrong-password');
      await waitFor(() => message(el).includes('Incorrect'));
      expect(input(el).value).to.equal('');
      expect(events.at(-1)).to.deep.equal({ kind: 'access', retry: true });
      expect(dialog(el)!.open).to.equal(true);

      await submit(el, ACCESS_PASSWORD);
      await waitForState(el, ['ready']);
      expect(dialog(el)).to.equal(null);
      expect(pixelAt(await renderedCanvas(el, 1), 0.5, 0.3)).to.deep.equal([0, 255, 0, 255]);
    } finally {
      console.log = originalLog;
      console.warn = originalWarn;
      console.error = originalError;
    }
    const log = await requestLog(id);
    const posts = log.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).to.deep.equal([401, 200]);
    const haystacks = [
      ...performance.getEntriesByType('resource').map((e) => e.name),
      ...log.requests.map((r) => `${r.path}?${r.query}`),
      ...consoleLines,
      JSON.stringify(events),
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie,
      el.shadowRoot!.innerHTML,
    ];
    for (const text of haystacks) {
      expect(text).not.to.include(ACCESS_PASSWORD);
      expect(text).not.to.include('wrong-password');
    }
  });

  it('sends one request for a double submit', async () => {
    const id = await createScenario('protected');
    const el = await openViewer();
    el.passwordUrl = passwordUrl(id);
    el.src = contentUrl(id);
    await openDialog(el);
    input(el).value = ACCESS_PASSWORD;
    const form = input(el).form!;
    form.requestSubmit();
    form.requestSubmit();
    await waitForState(el, ['ready']);
    const posts = (await requestLog(id)).requests.filter((r) => r.method === 'POST');
    expect(posts).to.have.length(1);
  });

  it('shows the wait time after too many attempts and blocks submitting until then', async () => {
    const id = await createScenario('protected');
    const el = await openViewer();
    el.passwordUrl = passwordUrl(id);
    el.src = contentUrl(id);
    await openDialog(el);
    for (let attempt = 0; attempt < 8; attempt++) {
      await submit(el, `guess-${attempt}`);
      await waitFor(() => message(el) !== '' && !input(el).readOnly);
      if (submitButton(el).disabled) break;
    }
    expect(message(el)).to.match(/try again in \d+ s/);
    expect(submitButton(el).disabled).to.equal(true);
    const posts = (await requestLog(id)).requests.filter((r) => r.method === 'POST');
    expect(posts.at(-1)!.status).to.equal(429);
    const count = posts.length;
    input(el).value = ACCESS_PASSWORD;
    input(el).form!.requestSubmit();
    await sleep(300);
    expect((await requestLog(id)).requests.filter((r) => r.method === 'POST')).to.have.length(count);
    expect(dialog(el)!.open).to.equal(true);
  });

  it('cancels with Escape into password-cancelled, and the dialog can be opened again', async () => {
    const id = await createScenario('protected');
    const el = await openViewer();
    el.passwordUrl = passwordUrl(id);
    el.src = contentUrl(id);
    await openDialog(el);
    input(el).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitForState(el, ['error']);
    expect(el.error?.code).to.equal('password-cancelled');
    await expect(el).to.be.accessible();
    const reopen = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]')!;
    expect(reopen.textContent?.trim()).to.equal('Enter password');
    reopen.click();
    await openDialog(el);
    expect(el.state).to.equal('password');
    await submit(el, ACCESS_PASSWORD);
    await waitForState(el, ['ready']);
  });

  it('asks again when the session expires, and the view stays where it was', async () => {
    const id = await createScenario('large');
    const el = await openViewer();
    const events = passwordEvents(el);
    let exchanges = 0;
    el.exchangePassword = async (password) => {
      exchanges++;
      if (password !== 'letmein') throw Object.assign(new Error('wrong'), { status: 401 });
      return mintToken(id);
    };
    el.src = contentUrl(id);
    await openDialog(el);
    await submit(el, 'letmein');
    await waitForState(el, ['ready']);
    el.goToPage(5);
    await renderedCanvas(el, 5);
    await revokeTokens(id);
    el.goToPage(33);
    const again = await openDialog(el);
    expect(again.textContent).to.include('session has expired');
    expect(el.state).to.equal('password');
    await submit(el, 'letmein');
    await renderedCanvas(el, 33);
    expect(el.state).to.equal('ready');
    expect(el.page).to.equal(33);
    expect(exchanges).to.equal(2);
    expect(events.every((e) => e.kind === 'access')).to.equal(true);
  });
});

describe('encrypted PDF', () => {
  it('asks for the PDF password, refuses a wrong one, opens with the right one', async () => {
    const id = await createScenario('encrypted');
    const el = await openViewer();
    const events = passwordEvents(el);
    el.token = await mintToken(id);
    el.src = contentUrl(id);
    await openDialog(el);
    expect(el.state).to.equal('password');
    expect(events).to.deep.equal([{ kind: 'document', retry: false }]);
    expect(dialog(el)!.textContent).to.include('encrypted');
    await expect(el).to.be.accessible();

    await submit(el, 'not-it');
    await waitFor(() => events.length === 2);
    expect(events[1]).to.deep.equal({ kind: 'document', retry: true });
    await openDialog(el);
    await waitFor(() => message(el).includes('Incorrect'));

    await submit(el, PDF_PASSWORD);
    await waitForState(el, ['ready']);
    expect(pixelAt(await renderedCanvas(el, 1), 0.5, 0.3)).to.deep.equal([255, 0, 0, 255]);
    // The PDF password never leaves the browser.
    const log = await requestLog(id);
    expect(contentRequests(log).every((r) => r.method === 'GET' || r.method === 'HEAD')).to.equal(true);
    for (const entry of performance.getEntriesByType('resource')) expect(entry.name).not.to.include(PDF_PASSWORD);
  });

  it('cancelling the PDF password gives password-cancelled, and retry asks again', async () => {
    const id = await createScenario('encrypted');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await openDialog(el);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="password-cancel"]')!.click();
    await waitForState(el, ['error']);
    expect(el.error?.code).to.equal('password-cancelled');
    el.reload();
    await openDialog(el);
    await submit(el, PDF_PASSWORD);
    await waitForState(el, ['ready']);
  });
});

describe('strings', () => {
  it('replaces visible strings', async () => {
    const id = await createScenario('protected');
    const el = await openViewer();
    el.strings = { accessPasswordTitle: 'Mot de passe requis', passwordSubmit: 'Ouvrir' };
    el.passwordUrl = passwordUrl(id);
    el.src = contentUrl(id);
    const node = await openDialog(el);
    expect(node.querySelector('h2')!.textContent).to.equal('Mot de passe requis');
    expect(submitButton(el).textContent!.trim()).to.equal('Ouvrir');
  });
});
