import { useEffect, useState } from 'preact/hooks';

/** A value the page shares between components; they re-render when it changes. */
export interface Store<T> {
  get(): T;
  set(next: T | ((prev: T) => T)): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      value = typeof next === 'function' ? (next as (prev: T) => T)(value) : next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export function useStore<T>(store: Store<T>): T {
  const [, setVersion] = useState(0);
  useEffect(() => store.subscribe(() => setVersion((n) => n + 1)), [store]);
  return store.get();
}

/**
 * A store kept in the tab's sessionStorage, so that a reload keeps it (the tab's lifetime, like a
 * shop's cart). What cannot be read back, or is not of its shape, starts afresh.
 */
export function kept<T>(key: string, empty: T, valid: (v: unknown) => boolean): Store<T> {
  let start = empty;
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    if (saved !== null && valid(saved)) start = saved as T;
  } catch {
    // Not JSON: start afresh.
  }
  const store = createStore<T>(start);
  store.subscribe(() => {
    const v = store.get();
    if (v === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(v));
  });
  return store;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
