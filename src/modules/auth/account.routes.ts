import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as s from './account.schemas.js';
import * as account from './account.service.js';

const tags = ['Account'];
const security = [{ session: [] }];

/** The signed-in person's own name and email (the password is changed at PUT /api/auth/password). */
const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.patch('/api/account', {
    // A person's own details: an organization API key acts for no one in particular.
    preValidation: [app.requireSession, app.requireBrowserSession],
    schema: { tags, security, summary: 'Change your name', body: s.AccountPatchBody, response: { 200: s.AccountResponse, ...ErrorResponses } },
    handler: (request) => account.rename(ctx, authOf(request), request.body.name),
  });

  app.post('/api/account/email', {
    preValidation: [app.requireSession, app.requireBrowserSession],
    preHandler: app.authRateLimit('email-change'),
    schema: {
      tags,
      security,
      summary: 'Ask to change your email: a confirmation link goes to the new address (valid 24 hours); 409 if the address is taken',
      body: s.EmailChangeBody,
      response: { 202: s.EmailChangeResponse, ...ErrorResponses },
    },
    handler: async (request, reply) => {
      const pendingEmail = await account.requestEmailChange(ctx, authOf(request), request.body);
      return reply.status(202).send({ message: `We sent a confirmation link to ${pendingEmail}. Your email changes when you open it.`, pendingEmail });
    },
  });

  app.get('/api/account/email/confirm', {
    preHandler: app.authRateLimit('email-confirm'),
    schema: {
      tags,
      summary: 'Confirm an email change with the mailed token; a browser is redirected to the Account page',
      querystring: s.EmailConfirmQuery,
      response: { 200: s.EmailConfirmResponse, ...ErrorResponses },
    },
    handler: async (request, reply) => {
      const browser = request.headers.accept?.includes('text/html');
      try {
        const { email } = await account.confirmEmailChange(ctx, request.query.token);
        return browser ? reply.redirect('/dashboard/account?email=confirmed') : { email };
      } catch (err) {
        // A person clicking the link lands on the Account page, which says what went wrong.
        if (browser && err instanceof AppError) return reply.redirect(`/dashboard/account?email=${err.code === 'CONFLICT' ? 'taken' : 'link-expired'}`);
        throw err;
      }
    },
  });
};

export default accountRoutes;
