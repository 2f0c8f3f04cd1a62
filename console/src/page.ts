import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConsolePageConfig } from '@tracequest/contracts';
import { samplersOn } from '@tracequest/stack';
import { BAGGAGE_ON_SPANS } from '@tracequest/telemetry';
import express, { Router } from 'express';
import type { Config } from './config';

/** The built page, next to the compiled server (dist/src -> dist/web). */
export const WEB_DIR = path.resolve(__dirname, '../web');

/** The placeholder in web/index.html the page config replaces. */
const SLOT = '<script id="console-config" type="application/json">{}</script>';

/** What the page is told about its surroundings: addresses only, never a secret. */
export function pageConfig(config: Config): ConsolePageConfig {
  return {
    otlpTracesUrl: config.BROWSER_OTLP_ENDPOINT ? `${config.BROWSER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : null,
    jaegerUiUrl: config.JAEGER_UI_URL?.replace(/\/$/, '') ?? null,
    grafanaUrl: config.GRAFANA_URL?.replace(/\/$/, '') ?? null,
    sampling: samplersOn(config).join(' and ') || null,
    baggageKeys: [...BAGGAGE_ON_SPANS],
  };
}

/** The built page (web/ through Vite into dist/web): index.html with its config, and the hashed assets. */
export function pageRoutes(config: Config, webDir: string): Router {
  const indexFile = path.join(webDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`no built page at ${indexFile}: run npm run build:console`);
  const template = readFileSync(indexFile, 'utf8');
  if (!template.includes(SLOT)) throw new Error(`${indexFile} has no config slot`);
  const settings = pageConfig(config);
  // JSON inside a script element: "<" escaped so no value can close the element.
  const html = template.replace(SLOT, SLOT.replace('{}', JSON.stringify(settings).replace(/</g, '\\u003c')));
  const collector = settings.otlpTracesUrl ? ` ${new URL(settings.otlpTracesUrl).origin}` : '';
  const policy = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${collector}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

  const r = Router();
  r.get(['/', '/index.html'], (_req, res) => {
    res.set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': policy }).send(html);
  });
  // File names carry a content hash: cached for good.
  r.use('/assets', express.static(path.join(webDir, 'assets'), { index: false, immutable: true, maxAge: '365d' }));
  r.use(express.static(webDir, { index: false, maxAge: '1h' }));
  return r;
}
