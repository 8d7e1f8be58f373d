/** What the login, session and password routes take and send (routes.ts). */
import { z } from 'zod';
import { count, dbId, okBody } from '../schema';

export const loginSchema = z.object({ idNumber: z.string().min(1).max(40), password: z.string().min(1).max(128) });
export const telegramSchema = z.object({ initData: z.string().min(1).max(8192) });
export const passwordSchema = z.object({ currentPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) });

export const sessionVia = z.enum(['password', 'telegram']);

/** A session just opened (login or the Mini App's initData): the CSRF token for later changes. */
export const loginResult = z.strictObject({
  person: z.strictObject({ id: dbId, name: z.string(), idMasked: z.string() }),
  via: sessionVia,
  mustChangePassword: z.boolean(),
  csrfToken: z.string(),
});

export const logoutResult = okBody;

/** The password changed: how many chat logins and other browser sessions ended (R3). */
export const passwordResult = z.strictObject({ ok: z.literal(true), endedChats: count, endedWebSessions: count });

export type LoginResult = z.infer<typeof loginResult>;
export type PasswordResult = z.infer<typeof passwordResult>;
