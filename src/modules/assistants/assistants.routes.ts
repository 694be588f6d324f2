import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FIRST_MESSAGE_MODES } from '../../db/schema/index.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as s from './assistants.schemas.js';
import * as service from './assistants.service.js';

const tags = ['Assistants'];
const security = [{ session: [] }];

/** The "Assistants" group: the organization's assistants, their name and greeting. */
const assistantsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/assistants', {
    schema: {
      tags,
      security,
      summary: 'List assistants with call counts',
      response: { 200: z.object({ assistants: z.array(s.AssistantView), phoneNumber: z.string().nullable() }), ...ErrorResponses },
    },
    handler: (request) => service.listAssistants(ctx, authOf(request)),
  });

  app.post('/api/assistants', {
    schema: {
      tags,
      security,
      summary: 'Register an existing VAPI assistant (plan limits apply; 409 if already registered)',
      body: s.RegisterAssistantBody,
      response: { 201: z.object({ assistant: s.AssistantView }), ...ErrorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await service.registerAssistant(ctx, authOf(request), request.body)),
  });

  app.patch('/api/assistants/:id', {
    schema: {
      tags,
      security,
      summary: "Update an assistant's display name",
      params: s.IdParams,
      body: z.object({ name: z.string().trim().min(1).max(100) }),
      response: { 200: z.object({ assistant: s.AssistantView }), ...ErrorResponses },
    },
    handler: (request) => service.renameAssistant(ctx, authOf(request), request.params.id, request.body.name),
  });

  app.delete('/api/assistants/:id', {
    schema: { tags, security, summary: 'Delete an assistant (also on VAPI)', params: s.IdParams, response: { 200: s.Success, ...ErrorResponses } },
    handler: async (request) => {
      await service.deleteAssistant(ctx, authOf(request), request.params.id);
      return { success: true as const };
    },
  });

  app.get('/api/assistant-name', {
    schema: {
      tags,
      security,
      summary: "The assistant's name and whether the plan lets the user change it (Pro+)",
      response: { 200: z.object({ name: z.string(), defaultName: z.string(), canEdit: z.boolean() }), ...ErrorResponses },
    },
    handler: async (request) => service.getAssistantName(authOf(request)),
  });

  app.put('/api/assistant-name', {
    preValidation: app.requireFeature('editAssistantName'),
    schema: {
      tags,
      security,
      summary: 'Rename the assistant; propagates to the greeting and the persona section (Pro+)',
      body: z.object({ name: s.AssistantName }),
      response: { 200: s.Success, ...ErrorResponses },
    },
    handler: async (request) => {
      await service.setAssistantName(ctx, authOf(request), request.body.name);
      return { success: true as const };
    },
  });

  app.get('/api/first-message-mode', {
    schema: {
      tags,
      security,
      summary: "The assistant's greeting mode and first message",
      response: { 200: z.object({ mode: z.enum(FIRST_MESSAGE_MODES), firstMessage: z.string() }), ...ErrorResponses },
    },
    handler: (request) => service.getFirstMessageMode(ctx, authOf(request)),
  });

  app.put('/api/first-message-mode', {
    schema: {
      tags,
      security,
      summary: 'Change the greeting mode (firstMessage required when the assistant speaks first)',
      body: s.FirstMessageModeBody,
      response: { 200: s.Success, ...ErrorResponses },
    },
    handler: async (request) => {
      await service.setFirstMessageMode(ctx, authOf(request), request.body);
      return { success: true as const };
    },
  });
};

export default assistantsRoutes;
