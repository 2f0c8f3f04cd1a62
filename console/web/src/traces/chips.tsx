import { serviceColor } from './colors';

export function ServiceChip({ service }: { service: string }) {
  return (
    <span class="chip">
      <span class="swatch" style={{ background: serviceColor(service) }} aria-hidden="true" />
      {service}
    </span>
  );
}
