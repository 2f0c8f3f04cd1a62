// Loki's in-process caches, checked against what Loki 3.6 turns on by itself: in single-binary mode
// each cache that is not configured gets an embedded cache of 100 MB (pkg/loki/config_wrapper.go,
// applyEmbeddedCacheConfig; the size is the default of -*.embedded-cache.max-size-mb). Only the
// user's Docker runs Loki, so this reads infra/loki/loki.yaml and the compose limits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytes, parseYaml, readRepo, services } from './stack-files';

/** Every cache applyEmbeddedCacheConfig enables at v3.6.3, as its path in loki.yaml. */
const EMBEDDED_CACHES = [
  ['chunk_store_config', 'chunk_cache_config'],
  ['query_range', 'results_cache', 'cache'],
  ['query_range', 'index_stats_results_cache', 'cache'],
  ['query_range', 'volume_results_cache', 'cache'],
  ['query_range', 'series_results_cache', 'cache'],
  ['query_range', 'label_results_cache', 'cache'],
  ['query_range', 'instant_metric_results_cache', 'cache'],
];

interface EmbeddedCache {
  enabled?: boolean;
  max_size_mb?: number;
}

describe('Loki in compose', () => {
  const config = parseYaml(readRepo('infra/loki/loki.yaml'));
  const caches = EMBEDDED_CACHES.map((path) => ({
    path: path.join('.'),
    cache: path.reduce((node, key) => node?.[key], config)?.embedded_cache as EmbeddedCache | undefined,
  }));

  it('when Loki would turn an embedded cache on, then loki.yaml sets its size', () => {
    for (const { path, cache } of caches) {
      assert.equal(cache?.enabled, true, `${path}.embedded_cache is configured, so Loki does not fill it in`);
      assert.ok(Number.isInteger(cache?.max_size_mb) && cache!.max_size_mb! > 0, `${path} has max_size_mb`);
      assert.ok(cache!.max_size_mb! <= 16, `${path}: ${cache!.max_size_mb} MB`);
    }
  });

  it('when every cache is full, then they take at most half of the heap GOMEMLIMIT allows', () => {
    const total = caches.reduce((sum, { cache }) => sum + (cache?.max_size_mb ?? 100) * 1e6, 0);
    const soft = bytes(String(services.loki.environment?.GOMEMLIMIT).replace(/iB$/, ''));
    assert.ok(total <= soft / 2, `caches ${total / 1e6} MB, GOMEMLIMIT ${soft / 1024 ** 2} MiB`);
    assert.ok(soft < bytes(services.loki.mem_limit!));
  });
});
