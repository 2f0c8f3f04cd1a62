import type { QuestCheckResult, QuestDetail, QuestHint, QuestList, QuestSummary } from '@tracequest/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { consoleApi, describeError } from '../http';
import { isObject, kept } from '../store';
import { Notice, Prose } from '../ui';

/** A trace and span picked in the trace view ("Use in the quest"), for the quest being played. */
export interface Picked {
  trace: string;
  span: string;
}

interface Draft {
  trace_id: string;
  span_id: string;
  answers: Record<string, string>;
}
const isStrings = (v: unknown) => isObject(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * What the learner has filled in for each quest, kept for the tab's lifetime: going to the Traces
 * tab for a span id, or reloading, loses nothing. A start begins afresh.
 */
const drafts = kept<Record<string, Draft>>(
  'tracequest.quest-drafts',
  {},
  (v) =>
    isObject(v) &&
    Object.values(v).every((d) => isObject(d) && typeof d.trace_id === 'string' && typeof d.span_id === 'string' && isStrings(d.answers)),
);
const EMPTY: Draft = { trace_id: '', span_id: '', answers: {} };
const LIST_EVERY_MS = 5_000;

/** The Quests tab: whatever quest runner the console server is connected to. */
export function QuestsPage({ picked }: { picked: Picked }) {
  const [list, setList] = useState<QuestList | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = async () => {
    const a = await consoleApi<QuestList>('GET', '/quests');
    if (a.ok && a.data) setList(a.data);
    else setProblem(describeError(a));
  };
  // The same progress as npm run quest: a quest started or finished in a terminal shows here too,
  // read again every few seconds while the tab is in view, and when the window comes back.
  useEffect(() => {
    void load();
    const again = () => {
      if (document.visibilityState === 'visible') void load();
    };
    const timer = setInterval(again, LIST_EVERY_MS);
    addEventListener('focus', again);
    return () => {
      clearInterval(timer);
      removeEventListener('focus', again);
    };
  }, []);
  return (
    <div class="page quests">
      <h1 tabIndex={-1}>Quests</h1>
      {problem && <Notice kind="error">Could not load the quests: {problem}</Notice>}
      {list && !list.runner.connected && (
        <p class="panel" data-testid="quests-empty">
          No quests: the console is not connected to a quest runner. The written quests are in <code>docs/quests/</code>.
        </p>
      )}
      {list?.runner.connected && list.items.length === 0 && <p class="panel">The quest runner offers no quests.</p>}
      {picked.trace && list?.runner.connected && !list.items.some((q) => q.status === 'started') && (
        <Notice kind="info">
          <span data-testid="picked-unused">
            No quest is being played, so trace <span class="mono">{picked.trace}</span> is filled in nowhere: start the quest, make the
            trace again, and use that one (a trace from before the start does not count).
          </span>
        </Notice>
      )}
      {list?.runner.connected && (
        <p>
          The same quests, checks and progress as <code>npm run quest</code>. Starting one turns every fault off and sets up its incident,
          its cause hidden: the traces have to tell you.
        </p>
      )}
      {list?.items.map((q) => (
        <Quest key={q.id} quest={q} changed={load} picked={picked} playing={list.items.find((x) => x.status === 'started')?.id ?? null} />
      ))}
    </div>
  );
}

function Quest({ quest, changed, picked, playing }: { quest: QuestSummary; changed: () => void; picked: Picked; playing: string | null }) {
  const [detail, setDetail] = useState<QuestDetail | null>(null);
  const [hints, setHints] = useState<QuestHint[]>([]);
  const [answer, setDraft] = useState<Draft>(() => {
    const saved = drafts.get()[quest.id] ?? EMPTY;
    // Brought here by "Use in the quest": the trace (and span) picked replace those filled in before.
    return quest.status === 'started' && picked.trace ? { ...saved, trace_id: picked.trace, span_id: picked.span } : saved;
  });
  const setAnswer = (next: Draft) => {
    setDraft(next);
    drafts.set((all) => ({ ...all, [quest.id]: next }));
  };
  const [result, setResult] = useState<QuestCheckResult | null>(null);
  /** What the runner is doing now (it reads the live traces: a second or two). */
  const [busy, setBusy] = useState<'starting' | 'checking' | null>(null);
  const locked = quest.status === 'locked';
  const [problem, setProblem] = useState<string | null>(null);
  const base = `/quests/${encodeURIComponent(quest.id)}`;
  // A quest already being played (started here or with npm run quest) opens where it is. One no
  // longer played closes to its Start button: another was started, or it was stopped. (One just
  // completed here stays open, with its verdict, until then.)
  useEffect(() => {
    if (quest.status !== 'started') {
      if (playing !== null || quest.status !== 'completed') {
        setDetail(null);
        setHints([]);
        setProblem(null);
      }
      return;
    }
    void consoleApi<QuestDetail>('GET', base).then((a) => {
      if (a.ok && a.data) {
        setDetail(a.data);
        setHints(a.data.hintsGiven ?? []);
      }
    });
  }, [quest.id, quest.status, playing, quest.hintsGiven]);
  // Brought here from a trace ("Use in the quest"): the filled-in form is where the eye goes next,
  // not the top of the page. Once: a later Restart does not scroll.
  const form = useRef<HTMLFormElement>(null);
  const arrived = useRef(false);
  useEffect(() => {
    if (arrived.current || !detail || quest.status !== 'started' || !(picked.trace || picked.span)) return;
    arrived.current = true;
    const field = form.current?.querySelector<HTMLInputElement>(picked.trace ? 'input[name="trace_id"]' : 'input[name="span_id"]');
    form.current?.scrollIntoView({ block: 'center' });
    field?.focus({ preventScroll: true });
  }, [detail]);
  const start = async () => {
    setResult(null);
    setProblem(null);
    setHints([]);
    // A trace from before the start does not count, nor do the choices of another play.
    setAnswer(EMPTY);
    setBusy('starting');
    const a = await consoleApi<QuestDetail>('POST', `${base}/start`, {}).finally(() => setBusy(null));
    if (a.ok && a.data) {
      setDetail(a.data);
      setHints(a.data.hintsGiven ?? []);
    } else setProblem(describeError(a));
    changed();
  };
  const hint = async () => {
    setProblem(null);
    const a = await consoleApi<QuestHint>('POST', `${base}/hint`, {});
    if (a.ok && a.data) setHints([...hints, a.data]);
    else setProblem(describeError(a));
  };
  const stop = async () => {
    setProblem(null);
    const a = await consoleApi<QuestList>('POST', '/quests/stop', {});
    if (!a.ok) setProblem(describeError(a));
    else {
      setDetail(null);
      setHints([]);
      setResult(null);
    }
    changed();
  };
  const check = async (e: Event) => {
    e.preventDefault();
    const body = { ...answer, trace_id: answer.trace_id || undefined, span_id: answer.span_id || undefined };
    setBusy('checking');
    setProblem(null);
    setResult(null);
    const a = await consoleApi<QuestCheckResult>('POST', `${base}/check`, body).finally(() => setBusy(null));
    if (a.ok && a.data) setResult(a.data);
    else setProblem(describeError(a));
    changed();
  };
  const stopButton = (
    <button
      type="button"
      onClick={stop}
      disabled={busy !== null}
      title="Turns every fault off and undoes the quest's set-up; your progress stays (npm run quest -- reset)"
    >
      Stop the quest
    </button>
  );
  return (
    <section class="panel" aria-labelledby={`quest-${quest.id}`} data-quest={quest.id}>
      <div class="panel-head">
        <h2 id={`quest-${quest.id}`}>{quest.title}</h2>
        <span class="state">{quest.status.replace('_', ' ')}</span>
      </div>
      <p>{quest.summary}</p>
      {quest.badges.length > 0 && <p class="badges">Badges: {quest.badges.join(', ')}</p>}
      {!detail && (
        <button
          type="button"
          class="primary"
          onClick={start}
          disabled={locked || Boolean(quest.blocked) || busy !== null}
          aria-describedby={quest.blocked ? `quest-${quest.id}-blocked` : undefined}
        >
          {busy === 'starting' ? 'Starting…' : quest.status === 'completed' ? 'Play again' : 'Start'}
        </button>
      )}
      {!detail && quest.setUpStill && (
        <>
          {' '}
          {stopButton}{' '}
          <span class="muted small" data-testid="quest-still-on">
            Done, and its incident is still on.
          </span>
        </>
      )}
      {!detail && quest.blocked && (
        <span class="muted small" id={`quest-${quest.id}-blocked`} data-testid="quest-blocked">
          {' '}
          {quest.blocked}
        </span>
      )}
      {detail && (
        <>
          <p class="brief">
            <Prose text={detail.brief} />
          </p>
          <h3>Steps</h3>
          <ol class="steps" data-testid="quest-steps">
            {detail.steps.map((step) => (
              <li key={step}>
                <Prose text={step} />
              </li>
            ))}
          </ol>
          <div class="buttons">
            <button type="button" onClick={start} disabled={busy !== null} title="Sets the incident up again, with a new hidden cause">
              {busy === 'starting' ? 'Starting…' : 'Restart'}
            </button>
            {stopButton}
            <button type="button" onClick={hint} disabled={hints.length > 0 && hints[hints.length - 1].remaining === 0}>
              {hints.length > 0 && hints[hints.length - 1].remaining === 0 ? 'No more hints' : 'Hint'}
            </button>
          </div>
          <ol class="hints">
            {hints.map((h) => (
              <li key={h.index}>
                <Prose text={h.text} />
              </li>
            ))}
          </ol>
          <form class="stack" onSubmit={check} ref={form}>
            {detail.asks.includes('trace') && (
              <label>
                Trace id{detail.labels?.trace ? ` (${detail.labels.trace})` : ''}{' '}
                <input
                  class="mono"
                  name="trace_id"
                  value={answer.trace_id}
                  onInput={(e) => setAnswer({ ...answer, trace_id: e.currentTarget.value.trim().toLowerCase() })}
                />
              </label>
            )}
            {detail.asks.includes('span') && (
              <label>
                Span id{detail.labels?.span ? ` (${detail.labels.span})` : ''}{' '}
                <input
                  class="mono"
                  name="span_id"
                  value={answer.span_id}
                  onInput={(e) => setAnswer({ ...answer, span_id: e.currentTarget.value.trim().toLowerCase() })}
                />
              </label>
            )}
            {detail.questions.map((q) => (
              <label key={q.id} for={`quest-${quest.id}-q${q.id}`}>
                <Prose text={q.prompt} />
                {q.choices ? (
                  <select
                    id={`quest-${quest.id}-q${q.id}`}
                    value={answer.answers[q.id] ?? ''}
                    onChange={(e) => setAnswer({ ...answer, answers: { ...answer.answers, [q.id]: e.currentTarget.value } })}
                  >
                    <option value="">(choose)</option>
                    {q.choices.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={`quest-${quest.id}-q${q.id}`}
                    value={answer.answers[q.id] ?? ''}
                    onInput={(e) => setAnswer({ ...answer, answers: { ...answer.answers, [q.id]: e.currentTarget.value } })}
                  />
                )}
              </label>
            ))}
            <button type="submit" class="primary" disabled={busy !== null}>
              {busy === 'checking' ? 'Checking the live traces…' : 'Check'}
            </button>
          </form>
        </>
      )}
      {result && (
        <Notice kind={!result.passed ? 'error' : result.done ? 'ok' : 'info'}>
          <span data-testid="quest-verdict">
            {!result.passed ? 'Not yet.' : result.done ? 'Quest complete.' : 'The check passed; the knowledge check is still to pass.'}
          </span>
          <ul class="feedback">
            {result.feedback.map((f, i) => (
              <li key={`${f.about}-${i}`}>
                {f.ok ? '✓' : '✗'} <Prose text={f.message} />
              </li>
            ))}
          </ul>
        </Notice>
      )}
      {problem && <Notice kind="error">{problem}</Notice>}
    </section>
  );
}
