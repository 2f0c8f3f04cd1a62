import { Algorithm, hash, verify } from '@node-rs/argon2';
import { ATTR, withSpan } from '@tracequest/telemetry';

const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, OPTIONS);

// Verified against when the email is unknown, so a miss costs as much time as a wrong password.
let decoy: Promise<string> | undefined;

/** Argon2id verification is deliberately slow: its own span shows where login time goes. */
export function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  return withSpan('auth.verify_password', {}, async (span) => {
    decoy ??= hashPassword('decoy-password-for-unknown-users');
    const ok = await verify(passwordHash ?? (await decoy), password);
    const matched = ok && passwordHash !== undefined;
    span.setAttribute(ATTR.AUTH_OUTCOME, matched ? 'success' : 'failure');
    return matched;
  });
}
