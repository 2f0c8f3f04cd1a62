import { z } from 'zod';
import { text } from './common';

const email = z.email().max(254);

export const registerRequest = z.strictObject({ email, password: text().min(8).max(128), name: text().trim().min(1).max(100) });
export type RegisterRequest = z.infer<typeof registerRequest>;
export const user = z.object({ id: z.uuid(), email: z.string(), name: z.string() });
export type User = z.infer<typeof user>;

export const loginRequest = z.strictObject({ email, password: text().min(1).max(128) });
export type LoginRequest = z.infer<typeof loginRequest>;
export const tokenResponse = z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.int() });
export type TokenResponse = z.infer<typeof tokenResponse>;
