import { expect } from '@open-wc/testing';
import { permits } from '../../src/token/permissions.ts';

describe('permits', () => {
  it('follows an explicit list, exactly', () => {
    const list = ['read', 'print'];
    expect(permits(list, 'read')).to.equal(true);
    expect(permits(list, 'print')).to.equal(true);
    expect(permits(list, 'download')).to.equal(false);
    expect(permits(list, 'copy')).to.equal(false);
    expect(permits(list, 'Print')).to.equal(false);
  });

  it('allows nothing with an empty list, not even reading', () => {
    for (const permission of ['read', 'copy', 'download', 'print']) expect(permits([], permission), permission).to.equal(false);
  });

  it('lets a token that says nothing read and copy, but not download or print', () => {
    expect(permits(null, 'read')).to.equal(true);
    expect(permits(null, 'copy')).to.equal(true);
    expect(permits(null, 'download')).to.equal(false);
    expect(permits(null, 'print')).to.equal(false);
    expect(permits(null, 'anything')).to.equal(false);
  });
});
