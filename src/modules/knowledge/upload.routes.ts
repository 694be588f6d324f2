import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, fieldError } from '../../errors.js';
import { extractDocumentText, UnsupportedDocumentError } from '../../lib/document-text.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { kbSlug } from '../../domain/knowledge.js';
import { plainFieldMessage } from '../../domain/field-messages.js';
import { LIMITS } from '../../domain/limits.js';
import { SectionKey } from './knowledge.routes.js';
import { putSection } from './knowledge.service.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** A section key from a file name when none is given: "Price List 2026.pdf" → "price-list-2026" (a long file name is shortened: nobody typed it). */
const keyFromFileName = (name: string) => kbSlug(name.replace(/\.[^.]+$/, '')).slice(0, LIMITS.kbSectionName).replace(/[-_]+$/, '') || 'document';

/** POST /api/kb/upload: a PDF, DOCX, CSV or TXT file becomes a knowledge-base section. */
const kbUploadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  // Scoped here: only this route reads multipart bodies. Streams stop at the cap (413), never buffering more.
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 4, fieldSize: 1024 } });

  app.post('/api/kb/upload', {
    preValidation: [app.requireSession, app.requireFeature('knowledgeBase')],
    schema: {
      tags: ['Knowledge Base'],
      security: [{ session: [] }],
      summary: 'Upload a PDF, DOCX, CSV or TXT file (10 MB max) as a knowledge-base section (Starter+)',
      consumes: ['multipart/form-data'],
      response: { 200: z.object({ fileId: z.string(), fileName: z.string(), fileSize: z.number() }), ...ErrorResponses },
    },
    handler: async (request) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data with a "file" field');
      let file: { name: string; type: string; data: Buffer } | undefined;
      let section: string | undefined;
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const chunks: Buffer[] = [];
          let size = 0;
          for await (const chunk of part.file) {
            size += chunk.length;
            chunks.push(chunk);
          }
          if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE', 'Files are limited to 10 MB');
          file = { name: part.filename, type: part.mimetype, data: Buffer.concat(chunks, size) };
        } else if (part.fieldname === 'section') {
          section = String(part.value);
        }
      }
      if (!file) throw new AppError('VALIDATION_FAILED', 'A "file" field is required', { details: [{ field: 'body.file', message: 'Required' }] });
      const key = SectionKey.safeParse(section ?? keyFromFileName(file.name));
      if (!key.success) {
        const issue = key.error.issues[0]!;
        throw fieldError('body.section', plainFieldMessage('body.section', { keyword: issue.code, message: issue.message, params: { ...issue } }));
      }
      let text: string;
      try {
        text = (await extractDocumentText({ fileName: file.name, contentType: file.type, data: file.data })).text;
      } catch (err) {
        if (err instanceof UnsupportedDocumentError) throw fieldError('body.file', err.message, 'BAD_REQUEST');
        throw err;
      }
      if (text.length > LIMITS.kbSectionText) {
        const chars = (n: number) => n.toLocaleString('en-US');
        throw fieldError(
          'body.file',
          `This document has ${chars(text.length)} characters of text; a section holds at most ${chars(LIMITS.kbSectionText)}. Split it into smaller files.`,
        );
      }
      const saved = await putSection(ctx, authOf(request), {
        key: key.data,
        text,
        source: { fileName: file.name, fileSize: file.data.length },
      });
      return { fileId: saved.vapiFileId, fileName: file.name, fileSize: file.data.length };
    },
  });
};

export default kbUploadRoutes;
