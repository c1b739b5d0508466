// Structured JSON logs (Fastify's pino) with a request id. Never a password, OTP, token, cookie or
// TOTP secret in a log line (SECURITY.md item 35): headers that carry them are redacted and link
// tokens are cut out of logged URLs.
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';

/** /setup/<token> and /password/reset/<token> carry secrets in the path. */
export function redactUrl(url: string): string {
  return url.replace(/^\/(setup|password\/reset)\/[^/?#]+/, '/$1/[redacted]').replace(/([?&](token|code|password)=)[^&]*/gi, '$1[redacted]');
}

export function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
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
