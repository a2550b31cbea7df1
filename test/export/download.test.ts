import { expect } from '@open-wc/testing';
import { downloadFileName } from '../../src/export/download.ts';

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
