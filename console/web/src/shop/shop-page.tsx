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
      {/* The orders beside the cart: a checkout's status changes where the learner is looking. */}
      <div class="shop-grid">
        <Products />
        <div class="stack">
          <Login />
          <Cart />
          <Orders />
        </div>
      </div>
      <Requests />
    </div>
  );
}
