import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { detectDocumentKind, extractDocumentText, UnsupportedDocumentError } from '../../src/lib/document-text.js';
import { makeDocx, makePdf } from '../helpers/documents.js';

const rejection = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnsupportedDocumentError);
  return err as UnsupportedDocumentError;
};

describe('extractDocumentText', () => {
  it('reads the text of a PDF, without page markers', async () => {
    const data = makePdf(['Bright Smile Dental price list', 'Cleaning (adult): $120']);
    const result = await extractDocumentText({ fileName: 'prices.pdf', contentType: 'application/pdf', data });
    expect(result.kind).toBe('pdf');
    expect(result.text).toBe('Bright Smile Dental price list\nCleaning (adult): $120');
  });

  it('reads a PDF by its magic bytes whatever its name says', async () => {
    const data = makePdf(['Renamed but still a PDF']);
    const result = await extractDocumentText({ fileName: 'notes.txt', contentType: 'text/plain', data });
    expect(result).toEqual({ kind: 'pdf', text: 'Renamed but still a PDF' });
  });

  it('reads the paragraphs of a DOCX', async () => {
    const data = await makeDocx(['Parking', 'Free parking behind the building & on Elm St.']);
    const result = await extractDocumentText({ fileName: 'faq.docx', data });
    expect(result.kind).toBe('docx');
    expect(result.text).toBe('Parking\n\nFree parking behind the building & on Elm St.');
  });

  it('renders CSV rows as "Header: value" records and skips empty cells and lines', async () => {
    const csv = '\uFEFFService,Price,Notes\r\nCleaning,$120,\r\n"Whitening, in office",$350,"Takes 90 min"\r\n\r\n';
    const result = await extractDocumentText({ fileName: 'services.CSV', data: Buffer.from(csv) });
    expect(result).toEqual({
      kind: 'csv',
      text: 'Service: Cleaning\nPrice: $120\n\nService: Whitening, in office\nPrice: $350\nNotes: Takes 90 min',
    });
  });

  it('reads TXT as UTF-8 without its BOM, and Windows-1252 when it is not UTF-8', async () => {
    const utf8 = await extractDocumentText({ fileName: 'about.txt', data: Buffer.from('\uFEFFCafé hours:\r\n\r\n\r\n\r\nMon–Fri  \n') });
    expect(utf8).toEqual({ kind: 'txt', text: 'Café hours:\n\nMon–Fri' });
    const cp1252 = await extractDocumentText({ fileName: 'old.txt', data: Buffer.from([0x43, 0x61, 0x66, 0xe9]) });
    expect(cp1252.text).toBe('Café');
  });

  it('goes by content type when the file has no extension', async () => {
    expect(detectDocumentKind({ fileName: 'upload', contentType: 'text/csv; charset=utf-8', data: Buffer.from('a,b') })).toBe('csv');
    expect(detectDocumentKind({ fileName: 'upload', contentType: 'text/plain', data: Buffer.from('hi') })).toBe('txt');
  });

  it('refuses other types: images, spreadsheets, other zips, binary renamed as text, fake PDFs', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    const xlsxLike = new JSZip();
    xlsxLike.file('xl/workbook.xml', '<workbook/>');
    const cases = [
      { fileName: 'logo.png', contentType: 'image/png', data: png },
      { fileName: 'logo.txt', contentType: 'text/plain', data: png },
      { fileName: 'book.xlsx', data: await xlsxLike.generateAsync({ type: 'nodebuffer' }) },
      { fileName: 'fake.pdf', contentType: 'application/pdf', data: Buffer.from('not a pdf') },
      { fileName: 'page.html', contentType: 'text/html', data: Buffer.from('<p>hi</p>') },
      { fileName: 'upload', contentType: 'application/octet-stream', data: Buffer.from('hi') },
    ];
    for (const input of cases) {
      const err = await rejection(extractDocumentText(input));
      expect(err.reason, input.fileName).toBe('unsupported');
    }
  });

  it('refuses files without text and files that cannot be read', async () => {
    expect((await rejection(extractDocumentText({ fileName: 'blank.txt', data: Buffer.from(' \r\n\t\n') }))).reason).toBe('empty');
    expect((await rejection(extractDocumentText({ fileName: 'header-only.csv', data: Buffer.from('Name,Phone\n') }))).reason).toBe('empty');
    expect((await rejection(extractDocumentText({ fileName: 'scan.pdf', data: makePdf([]) }))).reason).toBe('empty');
    const broken = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('word/document.xml garbage')]);
    expect((await rejection(extractDocumentText({ fileName: 'broken.docx', data: broken }))).reason).toBe('unreadable');
  });
});
