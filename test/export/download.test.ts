import { expect } from '@open-wc/testing';
import { downloadFileName, fileNameFromDisposition } from '../../src/export/download.ts';

describe('downloadFileName', () => {
  it('prefers the server\'s name, then the document title, then "document"', () => {
    expect(downloadFileName('report.pdf', 'Annual report')).to.equal('report.pdf');
    expect(downloadFileName(null, 'Annual report')).to.equal('Annual report.pdf');
    expect(downloadFileName(null, null)).to.equal('document.pdf');
  });

  it('adds .pdf unless the name already ends with it, in any case', () => {
    expect(downloadFileName('scan', null)).to.equal('scan.pdf');
    expect(downloadFileName('SCAN.PDF', null)).to.equal('SCAN.PDF');
    expect(downloadFileName('notes.txt', null)).to.equal('notes.txt.pdf');
    expect(downloadFileName('report.pdf.exe', null)).to.equal('report.pdf.exe.pdf');
  });

  it('drops path separators, characters file systems refuse and control characters', () => {
    expect(downloadFileName('../../etc/passwd', null)).to.equal('....etcpasswd.pdf');
    expect(downloadFileName('a\\b:c*d?e"f<g>h|i.pdf', null)).to.equal('abcdefghi.pdf');
    expect(downloadFileName('line\r\nbreak\u0000\u007f.pdf', null)).to.equal('linebreak.pdf');
    expect(downloadFileName(null, ' Q1: plan / draft ')).to.equal('Q1 plan  draft.pdf');
  });

  it('falls back to "document" when nothing is left of the name', () => {
    expect(downloadFileName(null, '')).to.equal('document.pdf');
    expect(downloadFileName(null, '   ')).to.equal('document.pdf');
    expect(downloadFileName(null, '/\\:*?"<>|')).to.equal('document.pdf');
    expect(downloadFileName('\u0001\u0002', null)).to.equal('document.pdf');
  });

  it('keeps letters of every script', () => {
    expect(downloadFileName('Résumé – 東京.pdf', null)).to.equal('Résumé – 東京.pdf');
  });
});

describe('fileNameFromDisposition', () => {
  it('gives null without a header or without a file name', () => {
    expect(fileNameFromDisposition(null)).to.equal(null);
    expect(fileNameFromDisposition('')).to.equal(null);
    expect(fileNameFromDisposition('inline')).to.equal(null);
    expect(fileNameFromDisposition('attachment; filename=""')).to.equal(null);
  });

  it('reads quoted and bare file names', () => {
    expect(fileNameFromDisposition('attachment; filename="report 2026.pdf"')).to.equal('report 2026.pdf');
    expect(fileNameFromDisposition('inline; filename=report.pdf; size=10')).to.equal('report.pdf');
    expect(fileNameFromDisposition('attachment;filename = "spaced.pdf"')).to.equal('spaced.pdf');
  });

  it('unescapes quoted-pairs and stops at the closing quote', () => {
    expect(fileNameFromDisposition('attachment; filename="say \\"hi\\".pdf"; x=1')).to.equal('say "hi".pdf');
    expect(fileNameFromDisposition('attachment; filename="a;b.pdf"')).to.equal('a;b.pdf');
  });

  it('prefers the UTF-8 filename* over filename, wherever it stands', () => {
    expect(fileNameFromDisposition(`attachment; filename="Resume.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E6%9D%B1%E4%BA%AC.pdf`)).to.equal(
      'Résumé 東京.pdf',
    );
    expect(fileNameFromDisposition(`attachment; filename*=utf-8''%C3%A9.pdf; filename="e.pdf"`)).to.equal('é.pdf');
  });

  it('falls back to filename when filename* does not decode', () => {
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''bad%E9%ZZ.pdf; filename="plain.pdf"`)).to.equal('plain.pdf');
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''bad%E9.pdf`)).to.equal(null);
  });

  it('reads what the reference backend sends', () => {
    // demo/server/content.ts: an ASCII name plus an RFC 8187 UTF-8 variant.
    const header = `attachment; filename="Sample document.pdf"; filename*=UTF-8''${encodeURIComponent('Sample – document.pdf')}`;
    expect(fileNameFromDisposition(header)).to.equal('Sample – document.pdf');
  });

  it('drops path separators and control characters, from either form', () => {
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).to.equal('....etcpasswd');
    expect(fileNameFromDisposition('attachment; filename="C:\\\\Windows\\\\evil.pdf"')).to.equal('C:Windowsevil.pdf');
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''..%2F..%2Fx%0D%0A%00.pdf`)).to.equal('....x.pdf');
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''%2F%5C%0A`)).to.equal(null);
  });

  it('trims and keeps at most 200 characters', () => {
    expect(fileNameFromDisposition('attachment; filename="  padded.pdf  "')).to.equal('padded.pdf');
    const long = `${'x'.repeat(300)}.pdf`;
    expect(fileNameFromDisposition(`attachment; filename="${long}"`)).to.equal('x'.repeat(200));
  });

  it('reads parameter names in any case and filename* with a language tag', () => {
    expect(fileNameFromDisposition('attachment; FileName="report.pdf"')).to.equal('report.pdf');
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8'en'report.pdf`)).to.equal('report.pdf');
    expect(fileNameFromDisposition(`attachment; filename*=Utf-8''report.pdf`)).to.equal('report.pdf');
  });
});
