import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, found, newResource, vapiStores, type AssistantDoc, type ToolDoc, type VapiStores } from './shared.js';

const IdParams = z.object({ id: z.string() });

const AssistantBody = z.looseObject({
  name: z.string().max(40).optional(),
  firstMessage: z.string().optional(),
  firstMessageMode: z
    .enum(['assistant-speaks-first', 'assistant-waits-for-user', 'assistant-speaks-first-with-model-generated-message'])
    .optional(),
  model: z
    .looseObject({
      provider: z.string(),
      model: z.string(),
      messages: z.array(z.object({ role: z.string(), content: z.string().nullable() })).optional(),
      tools: z.array(z.looseObject({ type: z.string() })).optional(),
      toolIds: z.array(z.string()).optional(),
    })
    .optional(),
  voice: z.looseObject({ provider: z.string(), voiceId: z.string().optional() }).optional(),
  server: z
    .looseObject({
      url: z.url().optional(),
      secret: z.string().optional(),
      headers: z.record(z.string(), z.unknown()).optional(),
      credentialId: z.string().optional(),
    })
    .optional(),
  maxDurationSeconds: z.number().int().min(10).max(43200).optional(),
  // VAPI's structured-data plan: a JSON schema of type object (the emulator fills it after each call).
  analysisPlan: z
    .looseObject({
      structuredDataPlan: z
        .looseObject({ enabled: z.boolean().optional(), schema: z.looseObject({ type: z.literal('object'), properties: z.record(z.string(), z.unknown()) }).optional() })
        .optional(),
    })
    .optional(),
  compliancePlan: z.looseObject({ hipaaEnabled: z.boolean().optional(), pciEnabled: z.boolean().optional() }).optional(),
  artifactPlan: z.looseObject({ recordingEnabled: z.boolean().optional() }).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

const KnowledgeBase = z.object({
  provider: z.literal('google'),
  name: z.string().min(1),
  description: z.string().min(1),
  model: z.string().optional(),
  fileIds: z.array(z.string()),
});

const ToolBody = z.looseObject({
  type: z.string(),
  function: z.looseObject({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/) }).optional(),
  knowledgeBases: z.array(KnowledgeBase).optional(),
});

/** Real VAPI refuses references to tools and files that do not exist. */
async function checkToolIds(stores: VapiStores, toolIds: string[] = []) {
  for (const id of toolIds) if (!(await stores.tools.get(id))) throw badRequest(`Tool ${id} not found`);
}
async function checkKnowledgeBases(stores: VapiStores, kbs: z.infer<typeof KnowledgeBase>[] = []) {
  for (const id of kbs.flatMap((kb) => kb.fileIds)) if (!(await stores.files.get(id))) throw badRequest(`File ${id} not found`);
}

/** `/assistant` and `/tool`: create, read, update (top-level fields replaced whole), delete. */
const assistantRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = vapiStores(app.ctx.db);
  const now = () => app.ctx.now().toISOString();

  app.post('/assistant', { schema: { hide: true, body: AssistantBody } }, async (request, reply) => {
    await checkToolIds(stores, request.body.model?.toolIds);
    const doc: AssistantDoc = { ...request.body, ...newResource(app) };
    return reply.status(201).send(await stores.assistants.put(doc.id, doc));
  });

  app.get('/assistant/:id', { schema: { hide: true, params: IdParams } }, async (request) =>
    found(stores.assistants.get(request.params.id), 'Assistant'),
  );

  app.patch('/assistant/:id', { schema: { hide: true, params: IdParams, body: AssistantBody } }, async (request) => {
    const current = await found(stores.assistants.get(request.params.id), 'Assistant');
    await checkToolIds(stores, request.body.model?.toolIds);
    // VAPI replaces each top-level field given (a partial `model` replaces the whole model).
    const doc: AssistantDoc = { ...current, ...request.body, id: current.id, orgId: current.orgId, updatedAt: now() };
    return stores.assistants.put(doc.id, doc);
  });

  app.delete('/assistant/:id', { schema: { hide: true, params: IdParams } }, async (request) => {
    const doc = await found(stores.assistants.get(request.params.id), 'Assistant');
    await stores.assistants.delete(doc.id);
    return doc;
  });

  app.post('/tool', { schema: { hide: true, body: ToolBody } }, async (request, reply) => {
    if (request.body.type === 'query' && !request.body.knowledgeBases?.length) throw badRequest('knowledgeBases must not be empty');
    await checkKnowledgeBases(stores, request.body.knowledgeBases);
    const doc: ToolDoc = { ...request.body, ...newResource(app) };
    return reply.status(201).send(await stores.tools.put(doc.id, doc));
  });

  app.get('/tool/:id', { schema: { hide: true, params: IdParams } }, async (request) => found(stores.tools.get(request.params.id), 'Tool'));

  app.patch('/tool/:id', { schema: { hide: true, params: IdParams, body: ToolBody.partial() } }, async (request) => {
    const current = await found(stores.tools.get(request.params.id), 'Tool');
    if (request.body.type && request.body.type !== current.type) throw badRequest(`Tool type cannot change from ${current.type}`);
    await checkKnowledgeBases(stores, request.body.knowledgeBases);
    const doc: ToolDoc = { ...current, ...request.body, type: current.type, id: current.id, orgId: current.orgId, updatedAt: now() };
    return stores.tools.put(doc.id, doc);
  });

  app.delete('/tool/:id', { schema: { hide: true, params: IdParams } }, async (request) => {
    const doc = await found(stores.tools.get(request.params.id), 'Tool');
    await stores.tools.delete(doc.id);
    return doc;
  });
};

export default assistantRoutes;
