// Baggage is client input: what the edge keeps of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, defaultTextMapGetter, propagation } from '@opentelemetry/api';
import { SwitchablePropagator } from '../src/propagation';

const kept = (baggage: string) => {
  const ctx = new SwitchablePropagator().extract(context.active(), { baggage }, defaultTextMapGetter);
  return Object.fromEntries((propagation.getBaggage(ctx)?.getAllEntries() ?? []).map(([k, e]) => [k, e.value]));
};

describe('baggage at the edge', () => {
  it('when a client sends keys outside the allow-list, long values or values with control characters, then only the allowed one-line values stay', () => {
    assert.deepEqual(kept('synthetic_request=true,user.is_admin=true'), { synthetic_request: 'true' });
    assert.deepEqual(kept(`shop.campaign=${'c'.repeat(257)},synthetic_request=true`), { synthetic_request: 'true' });
    assert.deepEqual(kept('shop.campaign=spring%0Ainjected%3Dline,synthetic_request=true'), { synthetic_request: 'true' });
    assert.deepEqual(kept('shop.campaign=tab%09here'), {});
    assert.deepEqual(kept('shop.campaign=spring%20sale'), { 'shop.campaign': 'spring sale' });
  });
});
