import { Cart } from './cart';
import { Login } from './login';
import { Orders } from './orders';
import { Products } from './products';
import { Requests } from './requests';

export function ShopPage() {
  return (
    <div class="page">
      <h1 tabIndex={-1}>Shop</h1>
      <p class="lead">Buy something, then follow the request into its trace: every request below links to it.</p>
      <div class="shop-grid">
        <Products />
        <div class="stack">
          <Login />
          <Cart />
        </div>
      </div>
      <div class="shop-grid shop-grid-low">
        <Requests />
        <Orders />
      </div>
    </div>
  );
}
