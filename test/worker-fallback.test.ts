import { expect } from '@open-wc/testing';
import { contentUrl, createScenario, mintToken } from './helpers/backend.ts';
import { openViewer, pixelAt, renderedCanvas, waitForState } from './helpers/viewer.ts';

// In a file of its own: the policy and the pdf.js set-up it causes last for the whole page.
describe('pdf.js worker blocked by the page', () => {
  it('renders through pdf.js on the main thread when the page forbids workers', async () => {
    const policy = document.createElement('meta');
    policy.httpEquiv = 'Content-Security-Policy';
    policy.content = "worker-src 'none'";
    document.head.append(policy);
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));

    const id = await createScenario('sample');
    const el = await openViewer({ token: await mintToken(id), src: contentUrl(id) });
    await waitForState(el, ['ready', 'error'], 30_000);
    expect(el.error).to.equal(null);
    const canvas = await renderedCanvas(el, 1, 30_000);
    const samples = [0.2, 0.4, 0.6].map((y) => pixelAt(canvas, 0.5, y).slice(0, 3).join());
    expect(samples.some((rgb) => rgb !== '255,255,255')).to.equal(true);
    // The worker really was refused, so the page was drawn without one.
    expect(violations).to.include('worker-src');
  });
});
