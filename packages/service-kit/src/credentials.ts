import { SERVICE_TOKEN_PATH, type ServiceClient, tokenResponse } from '@tracequest/contracts';
import { HttpClient } from './client';

/** Renew this long before the token expires, so no call goes out with one about to lapse. */
const EARLY_MS = 60_000;

/**
 * A service's own token, for the work it does on nobody's request (a sweep, a queue consumer):
 * issued by auth for the client secret generated at install, kept until shortly before it expires.
 */
export class ServiceCredentials {
  private readonly auth: HttpClient;
  private cached?: { token: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    authUrl: string,
    readonly clientId: ServiceClient,
    private readonly secret: string,
    timeoutMs = 5000,
  ) {
    // Never the token of a request being served: this call asks for the service's own.
    this.auth = new HttpClient('auth', authUrl, timeoutMs, undefined, { forward: false });
  }

  async token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Drops the cached token: the next call asks auth for a new one. */
  forget(): void {
    this.cached = undefined;
  }

  private async fetch(): Promise<string> {
    const { data } = await this.auth.call('POST', SERVICE_TOKEN_PATH, {
      body: { client_id: this.clientId, client_secret: this.secret },
      expect: tokenResponse,
    });
    this.cached = { token: data.access_token, renewAt: Date.now() + Math.max(data.expires_in * 1000 - EARLY_MS, 1000) };
    return data.access_token;
  }
}
