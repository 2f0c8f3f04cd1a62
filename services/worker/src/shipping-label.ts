import { setTimeout as sleep } from 'node:timers/promises';

/** How long the carrier's label printer takes to answer. */
const RENDER_MS = 25;

export interface Label {
  shipmentId: string;
  format: 'pdf';
  pages: number;
}

/** The carrier's label for a new shipment, from a label printer that takes a while to answer. */
export async function renderLabel(shipmentId: string): Promise<Label> {
  await sleep(RENDER_MS);
  return { shipmentId, format: 'pdf', pages: 1 };
}
