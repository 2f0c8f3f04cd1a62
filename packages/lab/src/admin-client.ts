import {
  type ActiveFaults,
  activeFaults,
  errorBody,
  type FaultParams,
  type FaultState,
  faultState,
  type ScenarioRequest,
  type ScenarioResult,
  scenarioResult,
} from '@tracequest/contracts';
import type { z } from 'zod';

/** The likely cause when the token is refused: this clone's (.env.local) sent to the compose stack, which made its own. */
const REFUSED =
  '\nThe admin API did not take this token. Against docker compose, use the token its secrets container made:\n' +
  '  ADMIN_TOKEN=$(docker compose exec -T gateway cat /run/tracequest-secrets/admin_token) npm run fault -- status\n' +
  'or run the command inside the stack: docker compose run --rm fault status';

/** The gateway's fault admin API, as the fault CLI (and anything else on the learner's side) uses it. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    /** Who is calling, for the admin API's audit log. */
    private readonly client = 'lab',
  ) {}

  private async send<S extends z.ZodType>(method: string, path: string, expect: S, body?: unknown): Promise<z.infer<S>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        'x-admin-token': this.token,
        'x-admin-client': this.client,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch(() => {
      throw new Error(`cannot reach the admin API at ${this.baseUrl} (is the shop running?)`);
    });
    const data: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const error = errorBody.safeParse(data).data?.error;
      throw new Error(
        `${res.status} ${error?.code ?? ''}: ${error?.message ?? 'request failed'}${res.status === 401 || res.status === 403 ? REFUSED : ''}`,
      );
    }
    return expect.parse(data);
  }

  active(): Promise<ActiveFaults> {
    return this.send('GET', '/admin/faults', activeFaults);
  }

  set(fault: string, params: FaultParams): Promise<FaultState> {
    return this.send('PUT', `/admin/faults/${encodeURIComponent(fault)}`, faultState, params);
  }

  async clear(fault: string): Promise<void> {
    await this.send('DELETE', `/admin/faults/${encodeURIComponent(fault)}`, faultStateOff);
  }

  async reset(): Promise<void> {
    await this.send('DELETE', '/admin/faults', activeFaults);
  }

  scenario(name: string, request: ScenarioRequest = {}): Promise<ScenarioResult> {
    return this.send('POST', `/admin/scenarios/${encodeURIComponent(name)}`, scenarioResult, request);
  }
}

const faultStateOff = faultState.pick({ name: true });
