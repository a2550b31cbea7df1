import { expect } from '@open-wc/testing';

// pdf.js below 6.2.108 is inside the range of a published advisory (arbitrary script execution
// from a crafted PDF). An unpinned install on Node 20 silently picks 5.x, so check what is installed.
function compare(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

describe('pdf.js version', () => {
  it('is pinned exactly and not older than 6.2.108', async () => {
    const pkg = (await (await fetch('/package.json')).json()) as { devDependencies: Record<string, string> };
    const pinned = pkg.devDependencies['pdfjs-dist']!;
    expect(pinned).to.match(/^\d+\.\d+\.\d+$/);
    const installed = ((await (await fetch('/node_modules/pdfjs-dist/package.json')).json()) as { version: string }).version;
    expect(installed).to.equal(pinned);
    expect(compare(installed, '6.2.108')).to.be.at.least(0);
  });

  it('the version running in the page matches', async () => {
    const lib = await import('pdfjs-dist/legacy/build/pdf.mjs');
    expect(compare(lib.version, '6.2.108')).to.be.at.least(0);
  });
});
