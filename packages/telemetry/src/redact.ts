// Client input that reaches a span or a log line as it came: a request's path and query string, a
// baggage value. No route of the shop takes a secret in any of them, but a client can put one there.

const CARD_NUMBER = /[0-9]{13,19}/g;
/** A JWT: three base64url parts, the first a JSON header ("eyJ" is "{"" encoded). */
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;

/** Text with any token or card number in it masked: a path (access log, server span), a baggage value. */
export const maskedSecrets = (text: string): string => text.replace(JWT, '[token redacted]').replace(CARD_NUMBER, '[card number redacted]');

/** A query string's names with every value REDACTED (the http instrumentation's word for it). */
export function redactedQuery(query: string): string {
  const params = new URLSearchParams(query);
  for (const key of new Set(params.keys())) params.set(key, 'REDACTED');
  return params.toString();
}
