import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { detectDocumentKind, extractDocumentText, UnsupportedDocumentError } from '../../src/lib/document-text.js';

/** A one-page PDF with real text objects, offsets computed so the xref table is valid. */
function makePdf(lines: string[]): Buffer {
  const escape = (s: string) => s.replace(/[()\\]/g, (c) => `\\${c}`);
  const content = `BT /F1 12 Tf 72 720 Td ${lines.map((l, i) => `${i ? '0 -16 Td ' : ''}(${escape(l)}) Tj`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** The smallest DOCX Word and mammoth accept: content types, package rels, one document part. */
async function makeDocx(paragraphs: string[]): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
  );
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('');
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  );
  return await zip.generateAsync({ type: 'nodebuffer' });
}

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
