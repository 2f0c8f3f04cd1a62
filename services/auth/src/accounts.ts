import { createHash, timingSafeEqual } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { LoginRequest, RegisterRequest, ServiceClient, ServiceTokenRequest, TokenResponse, User } from '@tracequest/contracts';
import { AppError, conflict, notFound } from '@tracequest/service-kit';
import { ATTR } from '@tracequest/telemetry';
import type { LoginThrottle } from './login-throttle';
import type { Passwords } from './passwords';
import type { Tokens } from './tokens';
import type { UserRepository } from './user-repository';
import { toUser } from './views';

export interface AccountDeps {
  users: UserRepository;
  tokens: Tokens;
  /** Each service client's secret: only their holders get a service token. */
  clients: Record<ServiceClient, string>;
  passwords: Passwords;
  throttle: LoginThrottle;
}

export async function registerUser(deps: AccountDeps, input: RegisterRequest): Promise<User> {
  const user = await deps.users.insert(input.email, input.name, await deps.passwords.hash(input.password));
  if (!user) throw conflict('email_taken', 'an account with this email already exists');
  trace.getActiveSpan()?.setAttribute(ATTR.USER_ID, user.id);
  return toUser(user);
}

/** Logs in; `client` is the caller's address, which the throttle counts failures by, with the account. */
export async function logIn(deps: AccountDeps, input: LoginRequest, client: string): Promise<TokenResponse> {
  const account = input.email.toLowerCase();
  deps.throttle.attempt(account, client);
  let user: Awaited<ReturnType<typeof deps.users.findByEmail>>;
  let valid: boolean;
  try {
    user = await deps.users.findByEmail(input.email);
    valid = (await deps.passwords.verify(user?.passwordHash, input.password)) && user !== undefined;
  } catch (err) {
    deps.throttle.refund(account, client);
    throw err;
  }
  if (!valid || !user) throw new AppError(401, 'invalid_credentials', 'email or password is wrong');
  deps.throttle.succeeded(account, client);
  trace.getActiveSpan()?.setAttribute(ATTR.USER_ID, user.id);
  return { access_token: await deps.tokens.sign(user.id, user.email), token_type: 'Bearer', expires_in: deps.tokens.ttlSeconds };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** OAuth 2.0 client credentials: a service proves it holds its generated secret and gets its own token. */
export async function issueServiceToken(deps: AccountDeps, input: ServiceTokenRequest): Promise<TokenResponse> {
  if (!timingSafeEqual(digest(input.client_secret), digest(deps.clients[input.client_id])))
    throw new AppError(401, 'invalid_client', 'unknown client or wrong secret');
  return { access_token: await deps.tokens.signService(input.client_id), token_type: 'Bearer', expires_in: deps.tokens.ttlSeconds };
}

export async function findUser(deps: AccountDeps, id: string): Promise<User> {
  const user = await deps.users.findById(id);
  if (!user) throw notFound('user');
  return toUser(user);
}

export const DEMO_USERS = [
  { email: 'ada@example.com', name: 'Ada Lovelace', password: 'ada-lovelace-1815' },
  { email: 'grace@example.com', name: 'Grace Hopper', password: 'grace-hopper-1906' },
  { email: 'alan@example.com', name: 'Alan Turing', password: 'alan-turing-1912' },
];

export async function seedDemoUsers(users: UserRepository, passwords: Passwords): Promise<number> {
  let created = 0;
  for (const u of DEMO_USERS) {
    if (await users.findByEmail(u.email)) continue;
    if (await users.insert(u.email, u.name, await passwords.hash(u.password))) created++;
  }
  return created;
}
