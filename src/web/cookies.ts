// Cookie names and flags in one place (SECURITY.md item 29): __Host- prefix when served over HTTPS,
// HttpOnly, Path=/, SameSite=Lax, never personal data.
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Config } from '../config.ts';

export interface CookieNames { session: string; csrf: string; flow: string; device: string; lang: string }

export function cookieNames(cfg: Pick<Config, 'cookieSecure'>): CookieNames {
  const p = cfg.cookieSecure ? '__Host-' : '';
  return { session: `${p}bp_session`, csrf: `${p}bp_csrf`, flow: `${p}bp_flow`, device: `${p}bp_device`, lang: `${p}bp_lang` };
}

export function cookieOptions(cfg: Pick<Config, 'cookieSecure'>, maxAgeSec?: number): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    secure: cfg.cookieSecure,
    sameSite: 'lax',
    ...(maxAgeSec !== undefined ? { maxAge: maxAgeSec } : {}),
  };
}
