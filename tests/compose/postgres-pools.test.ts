// Postgres in compose is sized for the pools the services open: every service that has a
// DATABASE_URL gets a pool size, and the pools plus headroom fit max_connections, which in turn
// fits the container's memory. Read from docker-compose.yml and .env alone (no service config).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytes, environmentOf, services } from './stack-files';

const MiB = 1024 ** 2;

/** Connection slots that the services' pools never take. */
const HEADROOM = {
  // Postgres's default superuser_reserved_connections: slots only a superuser may take.
  superuserReserved: 3,
  // pg_isready in the healthcheck connects every 5 s.
  healthcheck: 1,
  // `docker compose exec postgres psql` or a pg_dump while the shop runs.
  yourOwnSession: 2,
};

/**
 * Memory per connection slot. A backend held 1.4 MiB of private memory (Private_Clean +
 * Private_Dirty in /proc/<pid>/smaps_rollup) after shop-like queries, measured with 25 backends
 * on PostgreSQL 15; the rest is room for catalog caches of six schemas and sorts within work_mem.
 */
const PER_BACKEND = 4 * MiB;
/** Postmaster, checkpointer, background and WAL writers, autovacuum, Postgres 18's I/O workers. */
const SERVER_PROCESSES = 32 * MiB;

/** A `-c name=value` setting on the postgres command line. */
function setting(name: string): string {
  const command = services.postgres.command as string[];
  const arg = command.find((a) => a.startsWith(`${name}=`));
  assert.ok(arg, `postgres -c ${name}=... is set`);
  return arg.slice(name.length + 1);
}

describe('Postgres in compose, sized for the services pools', () => {
  const users = Object.keys(services).filter((name) => environmentOf(name).DATABASE_URL);
  const pools = () => users.map((name) => Number(environmentOf(name).DB_POOL_MAX));
  const maxConnections = () => Number(setting('max_connections'));

  it('when a service uses the database, then compose gives it a pool size from .env', () => {
    assert.deepEqual(users.sort(), ['auth', 'inventory', 'order', 'payment', 'worker']);
    for (const name of users) {
      assert.equal(services[name].environment?.DB_POOL_MAX, '${DB_POOL_MAX}', `${name} takes DB_POOL_MAX from .env`);
      const size = Number(environmentOf(name).DB_POOL_MAX);
      assert.ok(Number.isInteger(size) && size >= 2, `${name}: DB_POOL_MAX=${environmentOf(name).DB_POOL_MAX}`);
    }
  });

  it('when every pool is full, then the headroom is still free under max_connections', () => {
    const headroom = Object.values(HEADROOM).reduce((a, b) => a + b, 0);
    const taken = pools().reduce((a, b) => a + b, 0);
    assert.ok(taken + headroom <= maxConnections(), `${taken} pooled + ${headroom} headroom <= max_connections ${maxConnections()}`);
  });

  it('when every connection slot is in use, then the memory limit holds them and the shared buffers', () => {
    const sharedBuffers = bytes(setting('shared_buffers').replace(/B$/, ''));
    const needed = sharedBuffers + SERVER_PROCESSES + maxConnections() * PER_BACKEND;
    const limit = bytes(services.postgres.mem_limit!);
    assert.ok(needed <= limit, `${needed / MiB} MiB needed, mem_limit ${limit / MiB} MiB`);
  });
});
