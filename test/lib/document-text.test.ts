import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { detectDocumentKind, extractDocumentText, MAX_UNZIPPED_BYTES, UnsupportedDocumentError, zipDeclaredSize } from '../../src/lib/document-text.js';
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

describe('zipDeclaredSize', () => {
  /** Two entries: the first with an extra field (a non-ASCII name), the second with a file comment; and an archive comment. */
  async function twoEntryZip() {
    const zip = new JSZip();
    zip.file('café.txt', 'b'.repeat(234));
    zip.file('a.txt', 'a'.repeat(1000), { comment: 'first entry' });
    // A byte encoding of the name (JSZip's types say string; it takes bytes): JSZip then adds the UTF-8 name as an extra field.
    const encodeFileName = ((name: string) => Buffer.from(name, 'latin1')) as unknown as (name: string) => string;
    return await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', comment: 'archive comment', encodeFileName });
  }

  it('adds up every entry’s uncompressed size from the central directory, stepping over names, extra fields and comments', async () => {
    expect(zipDeclaredSize(await twoEntryZip())).toBe(1234);
  });

  it('refuses what is not a zip, a cut-off end record and a damaged directory', async () => {
    const notZip = (data: Buffer) => {
      try {
        return zipDeclaredSize(data);
      } catch (err) {
        expect(err).toBeInstanceOf(UnsupportedDocumentError);
        return [(err as UnsupportedDocumentError).reason, (err as Error).message];
      }
    };
    expect(notZip(Buffer.from('no end record here'))).toEqual(['unreadable', 'This DOCX file is not a valid zip archive']);
    const zip = await twoEntryZip();
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    // The 22-byte end record must fit: one byte short is refused, all of it is read.
    expect(notZip(zip.subarray(0, eocd + 21))).toEqual(['unreadable', 'This DOCX file is not a valid zip archive']);
    expect(notZip(zip.subarray(0, eocd + 22))).toBe(1234);
    // The directory's offset pointing one byte off: no entry signature there.
    const shifted = Buffer.from(zip);
    shifted.writeUInt32LE(shifted.readUInt32LE(eocd + 16) + 1, eocd + 16);
    expect(notZip(shifted)).toEqual(['unreadable', 'This DOCX file has a damaged zip directory']);
    // One more entry claimed than the directory holds: the next read runs into the end record.
    const extra = Buffer.from(zip);
    extra.writeUInt16LE(3, eocd + 10);
    expect(notZip(extra)).toEqual(['unreadable', 'This DOCX file has a damaged zip directory']);
    // One entry, read one byte off: no entry signature there, though nothing else runs past the end.
    const offByOne = Buffer.from(zip);
    offByOne.writeUInt16LE(1, eocd + 10);
    offByOne.writeUInt32LE(offByOne.readUInt32LE(eocd + 16) + 1, eocd + 16);
    expect(notZip(offByOne)).toEqual(['unreadable', 'This DOCX file has a damaged zip directory']);
    // A directory offset so near the end that an entry's 46 fixed bytes cannot fit.
    const late = Buffer.from(zip);
    late.writeUInt32LE(late.length - 45, eocd + 16);
    expect(notZip(late)).toEqual(['unreadable', 'This DOCX file has a damaged zip directory']);
  });

  /** An end record (22 bytes) naming `entries` entries at `offset`. */
  const endRecord = (entries: number, offset: number) => {
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(entries, 10);
    eocd.writeUInt32LE(offset, 16);
    return eocd;
  };
  const entryHeader = (uncompressed: number) => {
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt32LE(uncompressed, 24);
    return entry;
  };

  it('reads an empty zip (its end record at byte 0) and an entry whose fixed bytes end exactly at the end of the data', () => {
    expect(zipDeclaredSize(endRecord(0, 0))).toBe(0);
    expect(zipDeclaredSize(Buffer.concat([endRecord(1, 22), entryHeader(1234)]))).toBe(1234);
  });

  it('refuses an entry signature whose 46 fixed bytes are cut off', () => {
    const cut = Buffer.concat([entryHeader(1234).subarray(0, 14), endRecord(1, 0)]);
    expect(() => zipDeclaredSize(cut)).toThrow('This DOCX file has a damaged zip directory');
  });
});

describe('extractDocumentText refuses before reading', () => {
  /** A real DOCX whose directory claims `size` bytes for its document part. */
  async function docxClaiming(size: number) {
    const data = await makeDocx(['Hello']);
    let offset = data.readUInt32LE(data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) + 16);
    while (data.readUInt32LE(offset) === 0x02014b50) {
      const nameLength = data.readUInt16LE(offset + 28);
      const name = data.subarray(offset + 46, offset + 46 + nameLength).toString();
      data.writeUInt32LE(name === 'word/document.xml' ? size : 0, offset + 24);
      offset += 46 + nameLength + data.readUInt16LE(offset + 30) + data.readUInt16LE(offset + 32);
    }
    return data;
  }

  it('a DOCX declaring more than 50 MB unzipped (a zip bomb), and not one declaring exactly 50 MB', async () => {
    const bomb = await rejection(extractDocumentText({ fileName: 'bomb.docx', data: await docxClaiming(MAX_UNZIPPED_BYTES + 1) }));
    expect([bomb.reason, bomb.message]).toEqual(['unreadable', 'This DOCX file expands to more than 50 MB; it looks like a zip bomb']);
    const atLimit = await extractDocumentText({ fileName: 'limit.docx', data: await docxClaiming(MAX_UNZIPPED_BYTES) }).catch((e: Error) => e);
    expect(String((atLimit as Error).message ?? '')).not.toMatch(/zip bomb/);
    expect(MAX_UNZIPPED_BYTES).toBe(50 * 1024 * 1024);
  });

  it('an encrypted PDF, and names what could not be read', async () => {
    const encrypted = Buffer.from(makePdf(['secret']).toString('latin1').replace('/Root 1 0 R', '/Root 1 0 R /Encrypt 6 0 R'), 'latin1');
    const err = await rejection(extractDocumentText({ fileName: 'locked.pdf', data: encrypted }));
    expect([err.reason, err.message]).toEqual(['unreadable', 'This PDF is encrypted; upload an unprotected copy']);
    const broken = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from('word/document.xml garbage')]);
    const unreadable = await rejection(extractDocumentText({ fileName: 'broken.docx', data: broken }));
    expect(unreadable.message).toBe('This DOCX file is not a valid zip archive');
    const empty = await rejection(extractDocumentText({ fileName: 'blank.txt', data: Buffer.from(' \n') }));
    expect(empty.message).toBe('No text found in blank.txt');
    const other = await rejection(extractDocumentText({ fileName: 'logo.png', data: Buffer.from([0x89, 0x50]) }));
    expect([other.name, other.message]).toEqual(['UnsupportedDocumentError', 'Only PDF, DOCX, CSV and TXT files are accepted']);
  });

  it('takes "/Encrypt" in a text file as text', async () => {
    const result = await extractDocumentText({ fileName: 'notes.txt', data: Buffer.from('PDF tip: search the trailer for /Encrypt') });
    expect(result.text).toBe('PDF tip: search the trailer for /Encrypt');
  });

  it('names columns without a header by position, trims headers, and drops rows with nothing under a header', async () => {
    const csv = ' Service ,\t,\nCleaning,$120,walk-in\n,,,stray\nWhitening,$350,\n';
    const result = await extractDocumentText({ fileName: 'prices.csv', data: Buffer.from(csv) });
    expect(result.text).toBe('Service: Cleaning\nColumn 2: $120\nColumn 3: walk-in\n\nService: Whitening\nColumn 2: $350');
  });

  it('a DOCX whose zip is sound but whose document is not, naming why', async () => {
    const zip = new JSZip();
    zip.file('word/document.xml', 'not xml <');
    const err = await rejection(extractDocumentText({ fileName: 'bad.docx', data: await zip.generateAsync({ type: 'nodebuffer' }) }));
    expect(err.reason).toBe('unreadable');
    expect(err.message).toMatch(/^This DOCX file could not be read: \S/);
  });
});

describe('text tidying and type detection', () => {
  it('turns old Mac and Windows line ends into one, drops trailing blanks, keeps a BOM-like character inside the text', async () => {
    const { text } = await extractDocumentText({ fileName: 'a.txt', data: Buffer.from('Open\rdaily  \t\nWalk-ins\r\n\r\n\r\nCall a\uFEFFhead') });
    expect(text).toBe('Open\ndaily\nWalk-ins\n\nCall a\uFEFFhead');
  });

  it('reads a content type with spaces and parameters, and refuses a file with neither extension nor type', () => {
    expect(detectDocumentKind({ fileName: 'upload', contentType: ' Text/CSV ; charset=utf-8', data: Buffer.from('a,b') })).toBe('csv');
    expect(() => detectDocumentKind({ fileName: 'upload', data: Buffer.from('hi') })).toThrow(UnsupportedDocumentError);
  });

  it('refuses a zip that is not a DOCX with the same plain message', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    const err = await rejection(extractDocumentText({ fileName: 'book.xlsx', data: await zip.generateAsync({ type: 'nodebuffer' }) }));
    expect(err.message).toBe('Only PDF, DOCX, CSV and TXT files are accepted');
  });
});
