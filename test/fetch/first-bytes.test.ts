import { expect } from '@open-wc/testing';
import { firstPageEnd, RANGE_CHUNK_SIZE } from '../../src/fetch/first-bytes.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('firstPageEnd', () => {
  it('reads /E of a linearized file’s first object, rounded up to a chunk', () => {
    const head = bytes('%PDF-1.7\n%\u00e2\u00e3\n599 0 obj\n<< /Linearized 1 /L 21164806 /H [ 579 181 ] /O 602 /E 106592 /N 200 /T 21152706 >>\nendobj\n');
    expect(firstPageEnd(head)).to.equal(Math.ceil(106_592 / RANGE_CHUNK_SIZE) * RANGE_CHUNK_SIZE);
    expect(firstPageEnd(bytes('%PDF-1.5\n4 0 obj<</Linearized 1.0/E 2048/L 9000/H[100 20]/N 2/O 6/T 8000>>endobj'))).to.equal(2048);
  });

  it('is Infinity for a file that is not linearized, or says so only later', () => {
    expect(firstPageEnd(bytes('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n'))).to.equal(Infinity);
    expect(firstPageEnd(bytes(`%PDF-1.7\n${' '.repeat(1100)}<< /Linearized 1 /E 100 >>`))).to.equal(Infinity);
    // /E of another dictionary after the linearization dictionary is not it.
    expect(firstPageEnd(bytes('%PDF-1.7\n1 0 obj << /Linearized 1 /L 10 >> endobj 2 0 obj << /E 5 >>'))).to.equal(Infinity);
  });
});
