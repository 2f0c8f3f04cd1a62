// A chaos run's results: a table for people (the terminal and docs/reliability.md, the same text)
// and a JSON file for machines. docs/reliability.md is written from the results, never by hand.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tracequest/stack';
import type { Backlog } from './audit';
import type { Answer, Phase, Row, Verdict } from './verdicts';

export interface ChaosResults {
  date: string;
  mode: 'full' | 'quick';
  rate: number;
  machine: { cpus: number; node: string };
  /** Every answer by status (0: no answer, -1: not sent). */
  answers: Record<string, number>;
  /** Every answer that counts as an error, for a closer look. */
  errors: Answer[];
  phases: Omit<Phase, 'stock'>[];
  rows: Row[];
  total: Row;
  /** Orders that kept a charge without a 201, and what their clients could have been told. */
  kept: { id: string; status: string; createdAt: number; told: string[] }[];
  /** What was still left when the run stopped waiting for the shop to settle. */
  left: Backlog;
  verdicts: Verdict[];
  ok: boolean;
}

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');
export const DOC = path.join(REPO_ROOT, 'docs', 'reliability.md');

const seconds = (ms: number | null) => (ms === null ? 'not recovered' : `${(ms / 1000).toFixed(1)} s`);

export function table(r: ChaosResults): string {
  const head =
    '| Fault | Undone after | Requests | Retried | Errors | Lost | Duplicated | Oversold | Stuck | Kept charges | Recovered in |';
  const line = (x: Row, undone: string, bold = false) => {
    const cells = [
      x.fault,
      undone,
      x.requests,
      x.retried ?? 0,
      x.errors,
      x.lost,
      x.duplicated,
      x.oversold,
      x.stuck,
      x.kept,
      seconds(x.recoverMs),
    ];
    return `| ${cells.map((c) => (bold && c !== '' ? `**${c}**` : String(c))).join(' | ')} |`;
  };
  const undone = (i: number) => seconds(r.phases[i].faultEndedAt - r.phases[i].startedAt);
  return [head, `|${' --- |'.repeat(11)}`, ...r.rows.map((x, i) => line(x, undone(i))), line(r.total, '', true)].join('\n');
}

export function markdown(r: ChaosResults): string {
  const checks = r.verdicts.map(
    (v) => `- ${v.ok ? 'holds' : v.finding ? '**found** (reported, not failing)' : '**FAILS**'}: ${v.invariant} (${v.detail})`,
  );
  return [
    table(r),
    '',
    `${r.mode} run of ${r.date}, ${r.rate} checkouts/s, ${r.machine.cpus} cores, Node ${r.machine.node}.`,
    '',
    ...checks,
  ].join('\n');
}

/** Writes chaos.json and a dated copy; returns the path of chaos.json. */
export function save(r: ChaosResults, dir = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'chaos.json');
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  copyFileSync(file, path.join(dir, `chaos-${r.date.replace(/[:.]/g, '-')}.json`));
  return file;
}

const HEADER = `# Reliability

What the shop does when its parts fail under load. \`npm run chaos\` starts the native stack, sends
checkouts through the gateway at a constant arrival rate (open loop, each shopper with their own
token), and injects one fault after another with a settle period between them: \`kill -9\` of each
of the six services (started again by the native runner, as compose restarts a container), a RabbitMQ restart, a Postgres restart and
the Collector dropped for a while. Then it stops the load, waits for the shop to settle (the outbox
relayed, the queue consumed, the abandoned-checkout sweep run: the run shortens its delay) and checks
the databases, RabbitMQ and the API. It exits non-zero if an invariant fails. \`npm run chaos -- --quick\`
is the short run the test suite plays (one kill and a RabbitMQ restart).

This page is written by \`npm run chaos\` (a full run) from \`bench/results/chaos.json\`; do not edit the
table by hand. Each row covers the checkouts answered from its fault's start until the next fault's
(a checkout cut by a fault counts for that fault), and the orders created in that time.

| Column | Meaning |
|---|---|
| Undone after | from the fault's start until it was undone: the service ready again, the broker or database back, the Collector started |
| Requests | checkouts answered in the phase |
| Retried | checkouts whose client got no answer, a 5xx or a 409 \`idempotency_key_in_flight\` and tried again with the same \`Idempotency-Key\` (after 1, 2 and 4 s), as a careful client does: the shop answers with the first attempt's order, never a second one |
| Errors | final answers clients saw (after their retries) other than 201 and an honest 409 out of stock: 5xx, no answer, timeouts, not sent |
| Lost | checkouts answered 201 that did not end \`fulfilled\` with exactly one shipment (API and database agree) |
| Duplicated | orders shipped, notified, processed or charged (and kept) more than once |
| Oversold | products with stock below zero, or more sold and held than they had, when the phase ended |
| Stuck | orders still \`pending\` after the sweep, or \`paid\` but never fulfilled without a 201, and events never relayed |
| Kept charges | checkouts not answered 201 whose charge succeeded and was not refunded |
| Recovered in | from the fault's end (the service ready, the broker or database back) to the sending of the first of five good checkouts in a row |

The invariants below the table are checked on the whole run: every 201 ends fulfilled exactly once;
nothing is charged or shipped twice; stock is conserved (initial = available + sold + held by open
reservations) and never oversold; no order stays pending; no message is lost (outbox rows = events
consumed + parked + dead-lettered). One more check is reported without failing the run: stock is
sold only to paid orders. A checkout whose order process dies after inventory committed its stock
but before the order was marked paid is failed by the abandoned-checkout sweep, which voids the
charge and puts the committed stock back; this check shows any unit still counted as sold to an
order that was not paid.

Each run lands its faults at different moments, so runs differ. A checkout cut when the gateway
dies after its order went through is paid and shipped once: its client retries with the same
\`Idempotency-Key\` and gets that order back (the Retried column).

## Latest run

`;

export function publish(r: ChaosResults): void {
  writeFileSync(DOC, `${HEADER}${markdown(r)}\n`);
}
