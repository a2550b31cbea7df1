import { expect } from '@open-wc/testing';
import { openSampleAndExpectDrawn } from './helpers/viewer.ts';

// In a file of its own: the policy and the pdf.js set-up it causes last for the whole page.
describe('pdf.js worker blocked by the page', () => {
  it('renders through pdf.js on the main thread when the page forbids workers', async () => {
    const policy = document.createElement('meta');
    policy.httpEquiv = 'Content-Security-Policy';
    policy.content = "worker-src 'none'";
    document.head.append(policy);
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));

    await openSampleAndExpectDrawn();
    // The worker really was refused, so the page was drawn without one.
    expect(violations).to.include('worker-src');
  });
});
