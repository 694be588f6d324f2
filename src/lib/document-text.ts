import { extname } from 'node:path';

export type DocumentKind = 'pdf' | 'docx' | 'csv' | 'txt';

/** 'unsupported': not one of our types; 'unreadable': it claims to be but could not be read; 'empty': no text in it. */
export class UnsupportedDocumentError extends Error {
  constructor(
    readonly reason: 'unsupported' | 'unreadable' | 'empty',
    message: string,
  ) {
    super(message);
    this.name = 'UnsupportedDocumentError';
  }
}

export interface DocumentInput {
  fileName: string;
  contentType?: string;
  data: Buffer;
}

const BY_EXTENSION = new Map<string, DocumentKind>([
  ['.csv', 'csv'],
  ['.txt', 'txt'],
]);
// Keyed by `undefined` too: a request without a content type finds nothing.
const BY_CONTENT_TYPE = new Map<string | undefined, DocumentKind>([
  ['text/csv', 'csv'],
  ['text/plain', 'txt'],
]);

const startsWith = (data: Buffer, magic: string) => data.subarray(0, magic.length).toString('latin1') === magic;

/**
 * The file's kind: magic bytes decide for PDF and DOCX (a renamed file is read as what it is);
 * text kinds go by extension, then content type, and must not be binary.
 */
export function detectDocumentKind({ fileName, contentType, data }: DocumentInput): DocumentKind {
  if (startsWith(data, '%PDF-')) return 'pdf';
  if (startsWith(data, 'PK\x03\x04')) {
    // Every DOCX stores its body at word/document.xml; other zips (xlsx, odt, plain zip) are refused.
    if (data.includes('word/document.xml')) return 'docx';
    throw new UnsupportedDocumentError('unsupported', 'Only PDF, DOCX, CSV and TXT files are accepted');
  }
  const ext = extname(fileName).toLowerCase();
  const mime = contentType?.split(';')[0]!.trim().toLowerCase();
  const kind = ext ? BY_EXTENSION.get(ext) : BY_CONTENT_TYPE.get(mime);
  if (!kind || data.includes(0)) {
    throw new UnsupportedDocumentError('unsupported', 'Only PDF, DOCX, CSV and TXT files are accepted');
  }
  return kind;
}

/** UTF-8 (the decoder drops a BOM); files that are not valid UTF-8 are read as Windows-1252, as spreadsheet exports often are. */
function decodeText(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('windows-1252').decode(data);
  }
}

/** Each row as "Header: value" lines, rows separated by a blank line: readable by people and models alike. */
async function csvToText(csv: string): Promise<string> {
  const { default: Papa } = await import('papaparse');
  const { data, meta } = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: 'greedy' });
  // Always set when parsing with `header: true`.
  const fields = meta.fields!;
  const headers = fields.map((h, i) => h.trim() || `Column ${i + 1}`);
  return data
    .map((row) =>
      fields
        .map((field, i) => [headers[i], String(row[field] ?? '').trim()] as const)
        .filter(([, value]) => value)
        .map(([header, value]) => `${header}: ${value}`)
        .join('\n'),
    )
    .join('\n\n'); // a row with no value adds blank lines, which tidy() folds
}

// pdf-parse and mammoth are loaded on first use: together they add ~300 ms to start-up.
async function pdfToText(data: Buffer): Promise<string> {
  const { PDFParse } = await import('pdf-parse');
  // isEvalSupported: false — the PDF is untrusted, so pdf.js must not compile code from it (CVE-2024-4367).
  // Stryker disable next-line BooleanLiteral: hardening, observable only with a PDF that exploits pdf.js
  const parser = new PDFParse({ data: new Uint8Array(data), isEvalSupported: false });
  const text = parser.getText({ pageJoiner: '' }).then((result) => result.text);
  // Stryker disable next-line ArrowFunction: frees pdf.js's document; not observable in the text
  return await text.finally(() => parser.destroy());
}

async function toText(kind: DocumentKind, data: Buffer): Promise<string> {
  switch (kind) {
    case 'pdf':
      return await pdfToText(data);
    case 'docx':
      return (await (await import('mammoth')).default.extractRawText({ buffer: data })).value;
    case 'csv':
      return await csvToText(decodeText(data));
    case 'txt':
      return decodeText(data);
  }
}

const tidy = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** A DOCX may not expand past this when unzipped: a zip bomb is refused before anything is inflated. */
export const MAX_UNZIPPED_BYTES = 50 * 1024 * 1024;

/**
 * The total uncompressed size a zip declares, read from its central directory without
 * inflating anything (end-of-central-directory record → each entry's size field).
 */
export function zipDeclaredSize(data: Buffer): number {
  const eocd = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > data.length) throw new UnsupportedDocumentError('unreadable', 'This DOCX file is not a valid zip archive');
  const entries = data.readUInt16LE(eocd + 10);
  let offset = data.readUInt32LE(eocd + 16);
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (offset + 46 > data.length || data.readUInt32LE(offset) !== 0x02014b50) {
      throw new UnsupportedDocumentError('unreadable', 'This DOCX file has a damaged zip directory');
    }
    total += data.readUInt32LE(offset + 24);
    offset += 46 + data.readUInt16LE(offset + 28) + data.readUInt16LE(offset + 30) + data.readUInt16LE(offset + 32);
  }
  return total;
}

/** The text of an uploaded PDF, DOCX, CSV or TXT file; throws UnsupportedDocumentError otherwise or when it has no text. */
export async function extractDocumentText(input: DocumentInput): Promise<{ text: string; kind: DocumentKind }> {
  const kind = detectDocumentKind(input);
  if (kind === 'docx' && zipDeclaredSize(input.data) > MAX_UNZIPPED_BYTES) {
    throw new UnsupportedDocumentError('unreadable', 'This DOCX file expands to more than 50 MB; it looks like a zip bomb');
  }
  // An encrypted PDF names its /Encrypt dictionary in the trailer; its text cannot be read.
  if (kind === 'pdf' && input.data.includes('/Encrypt')) {
    throw new UnsupportedDocumentError('unreadable', 'This PDF is encrypted; upload an unprotected copy');
  }
  let raw: string;
  try {
    raw = await toText(kind, input.data);
  } catch (err) {
    throw new UnsupportedDocumentError('unreadable', `This ${kind.toUpperCase()} file could not be read: ${(err as Error).message}`);
  }
  const text = tidy(raw);
  if (!text) throw new UnsupportedDocumentError('empty', `No text found in ${input.fileName}`);
  return { text, kind };
}
