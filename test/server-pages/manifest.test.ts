import { expect } from '@open-wc/testing';
import { ViewerError } from '../../src/errors.ts';
import { fillTemplate, parseManifest, readManifest } from '../../src/server-pages/manifest.ts';

function manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'report',
    title: 'Report',
    version: 'v1',
    pageCount: 2,
    pages: [
      { width: 612, height: 792 },
      { width: 792, height: 612 },
    ],
    outline: [{ title: 'Intro', page: 1, items: [{ title: 'Part', page: 2, items: [] }] }],
    scales: [2, 0.25, 1],
    imageType: 'image/webp',
    maxPixels: 4096 * 4096,
    permissions: ['read'],
    urls: { image: '/api/documents/report/pages/{page}/image?scale={scale}', text: null, download: null },
    ...overrides,
  };
}

function invalid(run: () => unknown): ViewerError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(ViewerError);
    expect((error as ViewerError).code).to.equal('invalid-document');
    return error as ViewerError;
  }
  throw new Error('expected invalid-document');
}

describe('server-rendered manifest', () => {
  it('reads a manifest, scales smallest first, the outline as given', () => {
    const read = parseManifest(manifest());
    expect(read.pageCount).to.equal(2);
    expect(read.scales).to.deep.equal([0.25, 1, 2]);
    expect(read.pages[1]).to.deep.equal({ width: 792, height: 612 });
    expect(read.outline).to.deep.equal([{ title: 'Intro', page: 1, items: [{ title: 'Part', page: 2, items: [] }] }]);
    expect(read.urls.text).to.equal(null);
  });

  it('turns an outline entry outside the document into one that goes nowhere', () => {
    const read = parseManifest(manifest({ outline: [{ title: 'Far', page: 9, items: [] }] }));
    expect(read.outline[0]!.page).to.equal(null);
  });

  it('refuses HTML, a PDF and JSON of another shape with invalid-document', () => {
    const html = invalid(() => readManifest('<!doctype html><title>Sign in</title>'));
    expect(html.message).to.include('manifest');
    invalid(() => readManifest('%PDF-1.7\n1 0 obj'));
    invalid(() => readManifest('[]'));
    invalid(() => parseManifest(manifest({ pageCount: 3 })));
    invalid(() => parseManifest(manifest({ pages: [{ width: 0, height: 1 }, { width: 1, height: 1 }] })));
    invalid(() => parseManifest(manifest({ scales: [] })));
    invalid(() => parseManifest(manifest({ urls: { image: 5, text: null, download: null } })));
    invalid(() => parseManifest(manifest({ permissions: 'read' })));
  });

  it('fills URL templates on the manifest\u2019s origin and refuses any other origin', () => {
    const base = 'https://docs.example/api/documents/report/pages';
    expect(fillTemplate('/api/documents/report/pages/{page}/image?scale={scale}', base, { page: 3, scale: 1.5 })).to.equal(
      'https://docs.example/api/documents/report/pages/3/image?scale=1.5',
    );
    expect(fillTemplate('pages/{page}/text', 'https://docs.example/api/documents/report/', { page: 2 })).to.equal('https://docs.example/api/documents/report/pages/2/text');
    expect(fillTemplate('https://elsewhere.example/{page}', base, { page: 1 })).to.equal(null);
    expect(fillTemplate('//elsewhere.example/{page}', base, { page: 1 })).to.equal(null);
  });
});
