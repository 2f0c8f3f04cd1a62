import type { TokenResponse } from '@tracequest/contracts';
import { useState } from 'preact/hooks';
import { describeError, shop } from '../http';
import { useStore } from '../store';
import { Notice, TraceLink } from '../ui';
import { checkoutTraces, orders, session } from './session';

/** The demo users auth seeds (README). */
const DEMO_USERS = [
  { email: 'ada@example.com', password: 'ada-lovelace-1815' },
  { email: 'grace@example.com', password: 'grace-hopper-1906' },
  { email: 'alan@example.com', password: 'alan-turing-1912' },
];

export function Login() {
  const current = useStore(session);
  const [email, setEmail] = useState(DEMO_USERS[0].email);
  const [password, setPassword] = useState(DEMO_USERS[0].password);
  const [failure, setFailure] = useState<{ text: string; traceId: string | null } | null>(null);
  const [busy, setBusy] = useState(false);

  if (current)
    return (
      <section class="panel" aria-labelledby="account-h">
        <h2 id="account-h">Account</h2>
        <p>
          Logged in as <strong data-testid="who">{current.email}</strong>
        </p>
        <button
          type="button"
          onClick={() => {
            session.set(null);
            orders.set([]);
            checkoutTraces.set({});
          }}
        >
          Log out
        </button>
      </section>
    );

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    const answer = await shop<TokenResponse>('POST', '/api/auth/login', { body: { email, password } });
    setBusy(false);
    if (answer.ok && answer.data) session.set({ token: answer.data.access_token, email });
    else setFailure({ text: describeError(answer, 'shop'), traceId: answer.traceId });
  };
  return (
    <section class="panel" aria-labelledby="login-h">
      <h2 id="login-h">Log in</h2>
      <form onSubmit={submit} class="stack">
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Log in
        </button>
      </form>
      <p class="muted small">
        Demo users:{' '}
        {DEMO_USERS.map((u) => (
          <button
            type="button"
            class="link"
            key={u.email}
            onClick={() => {
              setEmail(u.email);
              setPassword(u.password);
            }}
          >
            {u.email}
          </button>
        ))}
      </p>
      {failure && (
        <Notice kind="error">
          Login failed: {failure.text} <TraceLink traceId={failure.traceId} />
        </Notice>
      )}
    </section>
  );
}
