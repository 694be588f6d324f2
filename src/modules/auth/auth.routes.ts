import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as s from './auth.schemas.js';
import * as auth from './auth.service.js';
import { createSession } from './sessions.js';
import { AppError } from '../../errors.js';

const FORGOT_MESSAGE = 'If an account with that email exists, a reset link has been sent.';
const MAGIC_LINK_MESSAGE = 'If an account with that email exists, a sign-in link has been sent.';
const tags = ['Authentication'];

/** The "Authentication" group of the reference, plus the magic-link request. */
const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.post('/api/auth/register', {
    preHandler: app.authRateLimit('register'),
    schema: {
      tags,
      summary: 'Create a user account and its organization',
      body: s.RegisterBody,
      response: { 201: s.RegisterResponse, ...ErrorResponses },
    },
    handler: async (request, reply) => {
      const ids = await auth.register(ctx, request.body);
      return reply.status(201).send({ message: 'Registration successful', ...ids });
    },
  });

  app.post('/api/auth/forgot-password', {
    preHandler: app.authRateLimit('forgot-password'),
    schema: {
      tags,
      summary: 'Mail a password reset link (same answer whether or not the account exists)',
      body: s.EmailBody,
      response: { 200: s.MessageResponse, ...ErrorResponses },
    },
    handler: async (request) => {
      await auth.forgotPassword(ctx, request.body.email);
      return { message: FORGOT_MESSAGE };
    },
  });

  app.post('/api/auth/reset-password', {
    preHandler: app.authRateLimit('reset-password'),
    schema: {
      tags,
      summary: 'Set a new password with the emailed token; ends every session of the user',
      body: s.ResetPasswordBody,
      response: { 200: s.MessageResponse, ...ErrorResponses },
    },
    handler: async (request) => {
      await auth.resetPassword(ctx, request.body.token, request.body.password);
      return { message: 'Password has been reset successfully.' };
    },
  });

  app.put('/api/auth/password', {
    preValidation: [app.requireSession, app.requireBrowserSession],
    schema: {
      tags,
      summary: "Change the current user's password; ends the user's other sessions",
      security: [{ session: [] }],
      body: s.ChangePasswordBody,
      response: { 200: s.SuccessResponse, ...ErrorResponses },
    },
    handler: async (request) => {
      await auth.changePassword(ctx, authOf(request), request.body);
      return { success: true as const };
    },
  });

  app.post('/api/auth/magic-link', {
    preHandler: app.authRateLimit('magic-link'),
    schema: {
      tags,
      summary: 'Mail a one-time sign-in link (valid 10 minutes)',
      body: s.EmailBody,
      response: { 200: s.MessageResponse, ...ErrorResponses },
    },
    handler: async (request) => {
      await auth.requestMagicLink(ctx, request.body.email);
      return { message: MAGIC_LINK_MESSAGE };
    },
  });

  app.get('/api/auth/magic-link', {
    schema: {
      tags,
      summary: 'Sign in with a magic link token; redirects to /dashboard',
      querystring: s.MagicLinkQuery,
      response: { ...ErrorResponses },
    },
    handler: async (request, reply) => {
      let userId: string;
      try {
        userId = await auth.consumeMagicLink(ctx, request.query.token);
      } catch (err) {
        // A person clicking a stale link lands on the login page, an API client gets the 400.
        if (err instanceof AppError && request.headers.accept?.includes('text/html')) {
          return reply.redirect('/login?error=link-expired');
        }
        throw err;
      }
      const session = await createSession(ctx, userId);
      app.sessionCookie.set(reply, session.token, session.expiresAt);
      return reply.redirect('/dashboard');
    },
  });
};

export default authRoutes;
