// One colour per service, the same everywhere in the console (chosen to stay apart for common
// colour-vision deficiencies); the service name is always written next to it.
const FIXED: Record<string, string> = {
  'console-browser': '#5b4bd6',
  gateway: '#0b63c5',
  auth: '#b86e00',
  inventory: '#0a7f56',
  order: '#b0306f',
  payment: '#c2410c',
  worker: '#127a9e',
};
const MORE = ['#6d28d9', '#4d7c0f', '#9f1239', '#0f766e', '#7c2d12', '#334155'];

export function serviceColor(service: string): string {
  if (FIXED[service]) return FIXED[service];
  let h = 0;
  for (const ch of service) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return MORE[h % MORE.length];
}
