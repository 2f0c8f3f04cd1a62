import type { Product, ProductList } from '@tracequest/contracts';
import { useEffect, useState } from 'preact/hooks';
import { describeError, shop } from '../http';
import { useStore } from '../store';
import { money, Notice, TraceLink } from '../ui';
import { addToCart, stockChanged } from './session';

export function Products() {
  const [items, setItems] = useState<Product[] | null>(null);
  const [failure, setFailure] = useState<{ text: string; traceId: string | null } | null>(null);
  const load = async () => {
    const answer = await shop<ProductList>('GET', '/api/products');
    if (answer.ok && answer.data) {
      setItems(answer.data.items);
      setFailure(null);
    } else setFailure({ text: describeError(answer, 'shop'), traceId: answer.traceId });
  };
  const checkouts = useStore(stockChanged);
  useEffect(() => void load(), [checkouts]);

  return (
    <section class="panel" aria-labelledby="products-h">
      <div class="panel-head">
        <h2 id="products-h">Products</h2>
        <button type="button" onClick={load}>
          Reload
        </button>
      </div>
      {failure && (
        <Notice kind="error">
          Could not load the products: {failure.text} <TraceLink traceId={failure.traceId} />
        </Notice>
      )}
      {items === null && !failure && <p class="muted">Loading…</p>}
      <ul class="products">
        {items?.map((p) => (
          <li key={p.id} class="product" data-product-id={p.id} data-available={p.available}>
            <span>
              <span class="product-name">{p.name}</span> <span class="muted small mono">{p.sku}</span>
            </span>
            <span class="product-price">{money(p.price_cents, p.currency)}</span>
            <span class="small">{p.available > 0 ? `${p.available.toLocaleString('en')} left` : 'out of stock'}</span>
            <button type="button" disabled={p.available < 1} onClick={() => addToCart(p)} aria-label={`Add to cart: ${p.name}`}>
              Add to cart
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
