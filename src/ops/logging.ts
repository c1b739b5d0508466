// Structured JSON logs (Fastify's pino) with a request id. Never a password, OTP, token, cookie or
// TOTP secret in a log line (SECURITY.md item 35): headers that carry them are redacted and link
// tokens are cut out of logged URLs.
// LOG_FORMAT=pretty (issue 20 item 9) formats the same records with pino-pretty for a developer.
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';

/** /setup/<token> and /password/reset/<token> carry secrets in the path. */
export function redactUrl(url: string): string {
  return url.replace(/^\/(setup|password\/reset)\/[^/?#]+/, '/$1/[redacted]').replace(/([?&](token|code|password)=)[^&]*/gi, '$1[redacted]');
}

/** C0 controls and DEL (but not tab) as \uXXXX: a logged value cannot start a forged line or move the cursor. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * pino-pretty as an in-process destination stream (not a transport worker thread: no second
 * thread, and lines are written before an exit). Colours only on a terminal. The message is
 * escaped: JSON escapes a newline, pino-pretty would print it. Other fields are printed as JSON.
 */
export function prettyStream(destination: NodeJS.WritableStream, colorize: boolean): NodeJS.WritableStream {
  // Loaded only when asked for: production and tests (JSON) never load it (start-up time, issue 19).
  const { PinoPretty } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return PinoPretty({
    destination,
    colorize,
    sync: true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l o',
    ignore: 'pid,hostname',
    singleLine: true,
    messageFormat: (log, messageKey) => escapeControls(String(log[messageKey] ?? '')),
  });
}

export function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  // A captured stream (tests) gets what was asked of it; only the process's stdout is prettified here.
  if (!stream && config.logFormat === 'pretty') stream = prettyStream(process.stdout, process.stdout.isTTY === true);
  return {
    // A captured stream (tests) logs at least at info, or more verbosely when LOG_LEVEL asks.
    level: stream && config.logLevel === 'silent' ? 'info' : config.logLevel,
    ...(stream ? { stream } : {}),
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', '*.password', '*.code', '*.token'],
      censor: '[redacted]',
    },
    serializers: {
      req(req: { method: string; url: string; ip?: string; id?: string }) {
        return { method: req.method, url: redactUrl(req.url), ip: req.ip };
      },
    },
  };
}
