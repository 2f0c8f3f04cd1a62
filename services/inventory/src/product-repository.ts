import type { Faults } from '@tracequest/faults';
import type { Db } from '@tracequest/service-kit';
import type { Pool } from 'pg';
import { loadOneByOne, slowQueryJoin } from './injected-faults';

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  /** Stock on the shelf: not yet held by a reservation. */
  stock: number;
}

const COLUMNS = 'id, sku, name, price_cents AS "priceCents", currency, stock';

export class ProductRepository {
  constructor(
    private readonly pool: Pool,
    private readonly faults?: Faults,
  ) {}

  async list(db: Db = this.pool): Promise<ProductRow[]> {
    if (await loadOneByOne(this.faults)) {
      // The N+1 pattern: one query for the ids, then one more per product.
      const ids = await db.query<{ id: string }>('SELECT id FROM products ORDER BY sku COLLATE "C"');
      const products: ProductRow[] = [];
      for (const { id } of ids.rows) products.push((await this.findById(id, db))!);
      return products;
    }
    const slow = await slowQueryJoin(this.faults);
    const { rows } = await db.query<ProductRow>(`SELECT ${COLUMNS} FROM products${slow} ORDER BY sku COLLATE "C"`);
    return rows;
  }

  async findById(id: string, db: Db = this.pool): Promise<ProductRow | undefined> {
    const slow = await slowQueryJoin(this.faults);
    const { rows } = await db.query<ProductRow>(`SELECT ${COLUMNS} FROM products${slow} WHERE id = $1`, [id]);
    return rows[0];
  }
}
