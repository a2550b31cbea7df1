import { expect } from '@open-wc/testing';
import { dictEntries, objectDict, refNumber, refNumbers } from '../../shared/pdf-syntax/pdf-dict.ts';
import { findStartXref } from '../../shared/pdf-syntax/xref.ts';
import { readXrefSection } from '../../src/fetch/page-tree/pdf-syntax.ts';

const TABLE = [
  'xref',
  '0 3',
  '0000000000 65535 f\r',
  '0000000015 00000 n\r',
  '0000000079 00000 n\r',
  '7 2',
  '0000001234 00000 n ',
  '0000000000 00001 f ',
  'trailer',
  '<< /Size 9 /Root 1 0 R /Prev 4321 /ID [<0a1b><2c3d>] >>',
  'startxref',
  '200',
  '%%EOF',
].join('\n');

describe('pdf-syntax: cross-reference tables', () => {
  it('reads every subsection, in-use entries only, with any end-of-line the format allows', () => {
    const section = readXrefSection(TABLE);
    expect(section).to.not.be.oneOf([null, 'incomplete']);
    const { offsets, trailer } = section as Exclude<typeof section, null | 'incomplete'>;
    expect([...offsets]).to.deep.equal([
      [1, 15],
      [2, 79],
      [7, 1234],
    ]);
    const entries = dictEntries(trailer);
    expect(entries.get('Root')).to.equal('1 0 R');
    expect(entries.get('Prev')).to.equal('4321');
    expect(entries.get('ID')).to.equal('[<0a1b><2c3d>]');
  });

  it('says incomplete when the text ends inside the table or the trailer', () => {
    expect(readXrefSection(TABLE.slice(0, 40))).to.equal('incomplete');
    expect(readXrefSection(TABLE.slice(0, TABLE.indexOf('trailer') + 12))).to.equal('incomplete');
  });

  it('is not a table where a cross-reference stream or anything else starts', () => {
    expect(readXrefSection('12 0 obj\n<< /Type /XRef /W [1 4 2] >>\nstream')).to.equal(null);
    expect(readXrefSection('xref\n0 2\n0000000000 65535 f \ngarbage here that is long enough to not be a cut')).to.equal(null);
  });

  it('finds the last startxref of a file with incremental updates', () => {
    expect(findStartXref('…startxref\n100\n%%EOF\n…startxref\r\n2048\r\n%%EOF\r\n')).to.equal(2048);
    expect(findStartXref('no such keyword')).to.equal(null);
  });
});

describe('pdf-syntax: dictionaries', () => {
  it('takes top-level entries only, skipping strings, hex strings, comments and nested values', () => {
    const entries = dictEntries(
      '<< /Type /Pages % a comment with /Kids [ 9 0 R ]\n /Res << /Kids [ 8 0 R ] /F 3 0 R >> /Title (a \\) /Kids [ 7 0 R ] \\( x) /Sub (x (y /Kids) z) ' +
        '/Hex <4b6964733e3e> /Kids [ 3 0 R 5 0 R ] /Count 2 /Parent 12 0 R /Flag true >>',
    );
    expect(entries.get('Type')).to.equal('/Pages');
    expect(entries.get('Kids')).to.equal('[ 3 0 R 5 0 R ]');
    expect(entries.get('Count')).to.equal('2');
    expect(entries.get('Parent')).to.equal('12 0 R');
    expect(entries.get('Hex')).to.equal('<4b6964733e3e>');
    expect(entries.get('Flag')).to.equal('true');
    expect(entries.get('Title')).to.equal('(a \\) /Kids [ 7 0 R ] \\( x)');
    expect(entries.get('Sub')).to.equal('(x (y /Kids) z)');
    expect(entries.has('F')).to.equal(false);
  });

  it('reads an indirect object’s dictionary, and nothing from something else', () => {
    expect(objectDict('4 0 obj\n<</Type/Catalog/Pages 1 0 R>>\nendobj')?.get('Pages')).to.equal('1 0 R');
    expect(objectDict('4 0 obj\n[1 2 3]\nendobj')).to.equal(null);
    expect(objectDict('4 0 obj << /Cut 1 0')).to.equal(null);
    expect(objectDict('trailer << >>')).to.equal(null);
  });

  it('reads references and arrays of references, and nothing that is not one', () => {
    expect(refNumber('12 0 R')).to.equal(12);
    expect(refNumber('12')).to.equal(null);
    expect(refNumber(undefined)).to.equal(null);
    expect(refNumbers('[3 0 R\n5 0 R 7 1 R]')).to.deep.equal([3, 5, 7]);
    expect(refNumbers('[]')).to.deep.equal([]);
    expect(refNumbers('[3 0 R 5 0]')).to.equal(null);
    expect(refNumbers('[3 0 R << /Type /Page >>]')).to.equal(null);
    expect(refNumbers('9 0 R')).to.equal(null);
  });
});
