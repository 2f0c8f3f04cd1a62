// The shop's fixed data the load uses: demo users, the test card and the products never to buy.
export const DEMO_USERS = [
  { email: 'ada@example.com', password: 'ada-lovelace-1815' },
  { email: 'grace@example.com', password: 'grace-hopper-1906' },
  { email: 'alan@example.com', password: 'alan-turing-1912' },
];

export const CARD = { card_number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' };

// Tiny stock on purpose (the out-of-stock quest): load would sell them out.
export const LOW_STOCK_SKUS = ['TQ-006', 'TQ-007', 'TQ-018'];

export const pick = (list) => list[Math.floor(Math.random() * list.length)];
