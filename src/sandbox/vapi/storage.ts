import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { found, vapiStores } from './shared.js';

/** One second of 8 kHz 8-bit mono silence: what every sandbox recording plays. */
function silentWav(): Buffer {
  const samples = 8000;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24); // sample rate
  header.writeUInt32LE(8000, 28); // byte rate
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 0x80)]);
}
const SILENCE = silentWav();

/**
 * The public storage behind the URLs VAPI hands out (file `url`, recording URLs). Like the
 * real storage links, they need no API key.
 */
const storageRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = vapiStores(app.ctx.db);

  app.get('/storage/files/:id/:name', { schema: { hide: true, params: z.object({ id: z.string(), name: z.string() }) } }, async (request, reply) => {
    const file = await found(stores.files.get(request.params.id), 'File');
    const content = await found(stores.fileContents.get(file.id), 'File');
    return reply.type(file.mimetype).send(Buffer.from(content.base64, 'base64'));
  });

  app.get(
    '/storage/recordings/:callId/:channel',
    { schema: { hide: true, params: z.object({ callId: z.string(), channel: z.enum(['mono.wav', 'stereo.wav']) }) } },
    async (request, reply) => {
      await found(stores.calls.get(request.params.callId), 'Call');
      return reply.type('audio/wav').send(SILENCE);
    },
  );
};

export default storageRoutes;
