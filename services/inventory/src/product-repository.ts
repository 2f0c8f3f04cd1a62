import type { Faults } from '@tracequest/faults';
import type { Pool } from 'pg';
import { loadOneByOne, slowQueryJoin } from './injected-faults';

/** A product as the API shows it; `available` is the stock not yet reserved. */
export interface Product {
  id: string;
  sku: string;
  name: string;
  price_cents: number;
  currency: string;
  available: number;
}

const COLUMNS = 'id, sku, name, price_cents, currency, stock AS available';

export class ProductRepository {
  constructor(
    private readonly pool: Pool,
    private readonly faults?: Faults,
  ) {}

  async list(): Promise<Product[]> {
    if (await loadOneByOne(this.faults)) {
      // The N+1 pattern: one query for the ids, then one more per product.
      const ids = await this.pool.query<{ id: string }>('SELECT id FROM products ORDER BY sku COLLATE "C"');
      const products: Product[] = [];
      for (const { id } of ids.rows) products.push((await this.findById(id))!);
      return products;
    }
    const slow = await slowQueryJoin(this.faults);
    const { rows } = await this.pool.query<Product>(`SELECT ${COLUMNS} FROM products${slow} ORDER BY sku COLLATE "C"`);
    return rows;
  }

  async findById(id: string): Promise<Product | undefined> {
    const slow = await slowQueryJoin(this.faults);
    const { rows } = await this.pool.query<Product>(`SELECT ${COLUMNS} FROM products${slow} WHERE id = $1`, [id]);
    return rows[0];
  }
}
