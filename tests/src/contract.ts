// Reads tests/trace-contract.json and checks a trace against it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FlatSpan } from './jaeger';

export interface Selector {
  service: string;
  kind?: string;
  name?: string;
}
export interface Edge {
  from: Selector;
  to: Selector;
  via: 'http' | 'amqp' | 'in-process';
}
export interface Contract {
  checkout: { services: string[]; root: Selector; edges: Edge[] };
}

export const CONTRACT: Contract = JSON.parse(readFileSync(path.resolve(__dirname, '../../trace-contract.json'), 'utf8'));

export const matches = (s: FlatSpan, sel: Selector) =>
  s.service === sel.service && (!sel.kind || s.kind === sel.kind) && (!sel.name || s.name === sel.name);

const show = (sel: Selector) => `${sel.service}:${sel.kind ?? '*'}:${sel.name ?? '*'}`;

/** Every way the trace breaks the contract; empty when it holds. */
export function contractViolations(spans: FlatSpan[], contract = CONTRACT.checkout): string[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const ancestors = (s: FlatSpan) => {
    const out: FlatSpan[] = [];
    for (let p = s.parentId && byId.get(s.parentId); p; p = p.parentId ? byId.get(p.parentId) : undefined) out.push(p);
    return out;
  };
  const problems: string[] = [];
  const roots = spans.filter((s) => !s.parentId || !byId.has(s.parentId));
  if (roots.length !== 1 || !matches(roots[0], contract.root))
    problems.push(`expected one root ${show(contract.root)}, got ${roots.map((r) => `${r.service}:${r.kind}:${r.name}`).join(', ')}`);
  for (const svc of contract.services) if (!spans.some((s) => s.service === svc)) problems.push(`no span of ${svc}`);
  for (const e of contract.edges) {
    const ok = spans
      .filter((c) => matches(c, e.to))
      .some((child) => {
        const parent = child.parentId ? byId.get(child.parentId) : undefined;
        if (e.via === 'in-process') return ancestors(child).some((a) => a.service === e.from.service && matches(a, e.from));
        if (e.via === 'amqp') return !!parent && matches(parent, e.from);
        return (
          !!parent &&
          parent.service === e.from.service &&
          parent.kind === 'client' &&
          ancestors(parent)
            .concat(parent)
            .some((a) => matches(a, e.from))
        );
      });
    if (!ok) problems.push(`missing edge ${show(e.from)} -(${e.via})-> ${show(e.to)}`);
  }
  return problems;
}
