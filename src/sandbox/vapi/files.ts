import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, found, newResource, vapiStores, type FileDoc } from './shared.js';

const MAX_FILE_BYTES = 20 * 1024 * 1024;
const IdParams = z.object({ id: z.string() });

/** `/file`: multipart upload (`file`, optional `purpose`), read, delete. Bytes are kept for the file's `url`. */
const fileRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = vapiStores(app.ctx.db);

  // Undici's multipart parser (Response.formData) reads the body: no extra dependency.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, async (request: FastifyRequest, body: Buffer) =>
    new Response(new Uint8Array(body), { headers: { 'content-type': request.headers['content-type']! } }).formData(),
  );

  app.post('/file', { schema: { hide: true } }, async (request, reply) => {
    if (!(request.body instanceof FormData)) throw badRequest('Expected multipart/form-data with a file');
    const file = request.body.get('file');
    if (!(file instanceof File)) throw badRequest('file should not be empty');
    const purpose = request.body.get('purpose');
    const resource = newResource(app);
    const name = file.name || 'upload';
    const doc: FileDoc = {
      ...resource,
      object: 'file',
      status: 'done',
      name,
      originalName: name,
      bytes: file.size,
      mimetype: file.type || 'application/octet-stream',
      ...(typeof purpose === 'string' ? { purpose } : {}),
      url: `${app.ctx.config.appUrl}/sandbox/vapi/storage/files/${resource.id}/${encodeURIComponent(name)}`,
    };
    await stores.fileContents.put(doc.id, { id: doc.id, base64: Buffer.from(await file.arrayBuffer()).toString('base64') });
    return reply.status(201).send(await stores.files.put(doc.id, doc));
  });

  app.get('/file/:id', { schema: { hide: true, params: IdParams } }, async (request) => found(stores.files.get(request.params.id), 'File'));

  app.delete('/file/:id', { schema: { hide: true, params: IdParams } }, async (request) => {
    const doc = await found(stores.files.get(request.params.id), 'File');
    await stores.files.delete(doc.id);
    await stores.fileContents.delete(doc.id);
    return doc;
  });
};

export default fileRoutes;
