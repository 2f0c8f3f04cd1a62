import type { FaultDefinition, FaultParamSpec, FaultParams } from '@tracequest/contracts';
import { useEffect, useState } from 'preact/hooks';
import { consoleApi, describeError } from '../http';
import { Notice } from '../ui';

type Values = Record<string, string | boolean>;

const shown = (params: FaultParams) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/** The form's starting values: what is on now, else each parameter's default. */
function initial(fault: FaultDefinition, active: FaultParams | undefined): Values {
  const values: Values = {};
  for (const [name, p] of Object.entries(fault.params)) {
    const now = active?.[name];
    if (p.type === 'boolean') values[name] = typeof now === 'boolean' ? now : p.default;
    else if (p.type === 'number') values[name] = String(now ?? p.default);
    else values[name] = String(now ?? p.default ?? (p.optional ? '' : (p.choices?.[0] ?? '')));
  }
  return values;
}

/** The values as the admin API takes them: numbers as numbers, empty optional text left out. */
function toParams(fault: FaultDefinition, values: Values): FaultParams {
  const out: FaultParams = {};
  for (const [name, p] of Object.entries(fault.params)) {
    const v = values[name];
    if (p.type === 'number') out[name] = Number(v);
    else if (p.type === 'boolean') out[name] = v === true;
    else if (v !== '') out[name] = String(v);
  }
  return out;
}

function Field({
  id,
  name,
  spec,
  value,
  set,
}: {
  id: string;
  name: string;
  spec: FaultParamSpec;
  value: string | boolean;
  set: (v: string | boolean) => void;
}) {
  const hint = <span class="hint">{spec.description}</span>;
  if (spec.type === 'boolean')
    return (
      <label class="check" for={id}>
        <input id={id} type="checkbox" checked={value === true} onChange={(e) => set(e.currentTarget.checked)} />
        <span>
          <span class="mono">{name}</span> {hint}
        </span>
      </label>
    );
  const range = spec.type === 'number' ? ` ${spec.min}–${spec.max}` : spec.type === 'string' && spec.optional ? ' (optional)' : '';
  const label = (
    <span>
      <span class="mono">{name}</span>
      <span class="hint">{range}</span>
    </span>
  );
  if (spec.type === 'string' && spec.choices)
    return (
      <label for={id}>
        {label}
        <select id={id} value={String(value)} onChange={(e) => set(e.currentTarget.value)}>
          {spec.optional && <option value="">(any)</option>}
          {spec.choices.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        {hint}
      </label>
    );
  return (
    <label for={id}>
      {label}
      {spec.type === 'number' ? (
        <input
          id={id}
          type="number"
          required
          min={spec.min}
          max={spec.max}
          step={spec.integer ? 1 : 'any'}
          value={String(value)}
          onInput={(e) => set(e.currentTarget.value)}
        />
      ) : (
        <input
          id={id}
          type="text"
          required={!spec.optional}
          maxLength={spec.maxLength}
          pattern={spec.pattern}
          title={spec.shape}
          value={String(value)}
          onInput={(e) => set(e.currentTarget.value)}
        />
      )}
      {hint}
    </label>
  );
}

/** One fault: what it does, whether it is on, and a form built from its parameter specs. */
export function FaultCard({
  fault,
  active,
  changed,
  cleared,
}: {
  fault: FaultDefinition;
  active?: FaultParams;
  changed: () => void;
  cleared: number;
}) {
  const [values, setValues] = useState(() => initial(fault, active));
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  // Every fault was turned off from the page: what this card last did is no longer so.
  useEffect(() => setResult(null), [cleared]);
  const on = active !== undefined;
  // A quest's incident: the admin API gives no parameters, and the card does not tell the story.
  const hidden = active?.hidden === true;
  const story = <p>{fault.description}</p>;
  const where = (
    <p class="small">
      <strong>Where:</strong> {fault.where}. <strong>Services:</strong> {fault.services.join(', ')}
    </p>
  );
  const apply = async (e: Event) => {
    e.preventDefault();
    const a = await consoleApi<{ params: FaultParams }>('PUT', `/faults/${fault.name}`, toParams(fault, values));
    setResult(a.ok ? { ok: true, text: `${fault.name} is on: ${shown(a.data?.params ?? {})}` } : { ok: false, text: describeError(a) });
    changed();
  };
  const clear = async () => {
    const a = await consoleApi('DELETE', `/faults/${fault.name}`);
    setResult(a.ok ? { ok: true, text: `${fault.name} is off` } : { ok: false, text: describeError(a) });
    changed();
  };
  const fields = (specs: [string, FaultParamSpec][]) =>
    specs.map(([name, spec]) => (
      <Field
        key={name}
        id={`${fault.name}-${name}`}
        name={name}
        spec={spec}
        value={values[name]}
        set={(v) => setValues({ ...values, [name]: v })}
      />
    ));
  return (
    <section class={`panel fault${on ? ' fault-on' : ''}`} aria-labelledby={`fault-${fault.name}`} data-fault={fault.name} data-on={on}>
      <div class="panel-head">
        <h3 id={`fault-${fault.name}`}>
          {fault.title} <span class="mono small">{fault.name}</span>
        </h3>
        <span class={`state ${on ? 'state-on' : 'state-off'}`}>{on ? 'ON' : 'off'}</span>
      </div>
      {hidden && (
        <p data-testid="fault-hidden">On, its cause hidden: a quest is using it. The traces have to tell you what it does, and where.</p>
      )}
      {/* A fault a quest hides keeps its story behind the spoiler too. */}
      {!hidden && story}
      {!hidden && on && <p class="mono small">now: {shown(active) || '(no parameters)'}</p>}
      {!hidden && where}
      <details>
        <summary>{hidden ? 'What it does, where, and the fix (gives the quest away)' : 'What you will see, and the fix'}</summary>
        {hidden && story}
        {hidden && where}
        <p>{fault.symptom}</p>
        {hidden && (
          <p>
            While a quest hides it, it marks nothing: no <code>fault.name</code>, no <code>fault.injected</code> event, and an error it
            causes looks like any other of its status.
          </p>
        )}
        {fault.fix && <p>Fix: {fault.fix.description}</p>}
      </details>
      <form onSubmit={apply} class="fault-fields">
        {fields(Object.entries(fault.params).filter(([name]) => !hidden || name === fault.fix?.param))}
        {/* The quest's settings are hidden: the form holds the defaults, which are not them. */}
        {hidden && Object.keys(fault.params).some((name) => name !== fault.fix?.param) && (
          <details class="tucked" data-testid="hidden-settings">
            <summary>Its other settings: hidden by the quest (Update sets these instead, and shows the fault)</summary>
            <div class="fault-fields">{fields(Object.entries(fault.params).filter(([name]) => name !== fault.fix?.param))}</div>
          </details>
        )}
        <div class="buttons">
          <button type="submit" class="primary">
            {on ? 'Update' : 'Turn on'}
          </button>
          <button type="button" onClick={clear} disabled={!on}>
            Clear
          </button>
        </div>
      </form>
      {result && <Notice kind={result.ok ? 'ok' : 'error'}>{result.text}</Notice>}
    </section>
  );
}
