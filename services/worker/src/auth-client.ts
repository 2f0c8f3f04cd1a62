import { type User, user } from '@tracequest/contracts';
import type { HttpClient } from '@tracequest/service-kit';

/** The auth service's user lookup: who a notification goes to. */
export class AuthClient {
  constructor(private readonly http: HttpClient) {}

  async user(id: string): Promise<User> {
    return (await this.http.call('GET', `/users/${id}`, { expect: user })).data;
  }
}
