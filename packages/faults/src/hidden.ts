// Faults that are on with reveal=false in this process: their spans carry no marker, and flag
// evaluations leave no event, so a quest's cause has to be found in the traces themselves.
const hidden = new Set<string>();

/** Called by the fault store whenever the faults in force change. */
export function setHiddenFaults(names: Iterable<string>): void {
  hidden.clear();
  for (const n of names) hidden.add(n);
}

export const isHidden = (name: string): boolean => hidden.has(name);
