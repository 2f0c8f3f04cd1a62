/** Stripe's documented test numbers; the docs read this table, so they cannot drift from the code. */
export const TEST_CARDS = [
  { number: '4242424242424242', outcome: 'succeeded', description: 'the charge succeeds' },
  { number: '4000000000000002', outcome: 'declined', code: 'card_declined', description: 'the card is declined' },
  { number: '4000000000000119', outcome: 'failed', code: 'provider_error', description: 'the provider fails to process it' },
] as const;

/** The Luhn checksum every card number carries; catches typos before anything is stored. */
export function luhnValid(number: string): boolean {
  if (!/^\d+$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

export const last4 = (number: string) => number.slice(-4);

/** A card is good through the last day of its expiry month. */
export function isExpired(expMonth: number, expYear: number, now = new Date()): boolean {
  const year = now.getUTCFullYear();
  return expYear < year || (expYear === year && expMonth < now.getUTCMonth() + 1);
}
