import { dotenv } from '@tracequest/stack';

/** Where the shop is and the admin token: the repo's .env (when there is one) under the environment. */
export function labSettings(env: NodeJS.ProcessEnv = process.env) {
  const all = { ...dotenv(), ...env };
  return {
    gatewayUrl: all.GATEWAY_URL ?? `http://127.0.0.1:${all.GATEWAY_PORT ?? 8080}`,
    adminToken: all.ADMIN_TOKEN ?? '',
  };
}
