// Branding per preset and per organisation (issue 20 item 2): what the console and the CLI change,
// checked here once for both (field formats, colour contrast, image types and sizes), audited with
// the operator or the CLI as actor. Pages read brands through cache.ts; mails through mailBrand.
import type { Db } from '../db/index.ts';
import type { BrandScope, Lang } from '../db/schema.ts';
import { DomainError, type FieldErrors } from '../errors.ts';
import { auditOperator, type OperatorActor } from '../audit/log.ts';
import { sha256Hex } from '../lib/index.ts';
import { findOrganisation, findPublicUser, PROFILES } from '../auth/service.ts';
import type { Brand } from '../web/brand.ts';
import { AA, checkBrandColour, isHexColour, shownRatio } from './contrast.ts';
import { checkImage, IMAGE_FORMATS, IMAGE_LIMITS, type ImageKind } from './images.ts';
import { brandMetaFor, deleteBrandRow, findBrandRow, saveBrandRow, allBrandMeta, type BrandMeta, type BrandRow } from './store.ts';
import { invalidateBrandCache } from './cache.ts';
import { resolveBrand } from './resolve.ts';

export const TEXT_FIELDS = {
  name_ja: 60, name_en: 60, footer_ja: 100, footer_en: 100, support_email: 254, support_phone: 30,
  support_url: 500, support_hours_ja: 100, support_hours_en: 100,
} as const;
export type TextField = keyof typeof TEXT_FIELDS;

/**
 * A change: a text field given as '' clears it, undefined leaves it; colour likewise; an image
 * given as null removes it, a Buffer replaces it.
 */
export interface BrandChange {
  text?: Partial<Record<TextField, string>>;
  colour?: string;
  logo?: Buffer | null;
  favicon?: Buffer | null;
}

export interface BrandTarget { scope: BrandScope; id: string; label: string }

/** The preset or organisation a setting belongs to; an unknown one is refused. */
export async function brandTarget(db: Db, scope: BrandScope, id: string): Promise<BrandTarget> {
  if (scope === 'preset') {
    if (!Object.hasOwn(PROFILES, id)) throw new DomainError('common.field_errors', {}, { preset: [{ key: 'brand.error.unknown_preset' }] });
    return { scope, id, label: id };
  }
  const org = await findOrganisation(db, id);
  if (!org) throw new DomainError('portal.unknown_organisation');
  return { scope, id, label: org.name };
}

export const PRESET_IDS = (): string[] => Object.keys(PROFILES);

function checkText(field: TextField, raw: string, errors: FieldErrors): string | null {
  const v = raw.normalize('NFC').trim();
  if (v === '') return null;
  const max = TEXT_FIELDS[field];
  if ([...v].length > max || /[\u0000-\u001f\u007f]/.test(v)) {
    errors[field] = [{ key: 'brand.error.too_long', params: { max } }];
    return null;
  }
  if (field === 'support_email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) errors[field] = [{ key: 'brand.error.email' }];
  if (field === 'support_phone' && !/^\+?[0-9][0-9 ()-]{1,28}$/.test(v)) errors[field] = [{ key: 'brand.error.phone' }];
  if (field === 'support_url') {
    let ok = false;
    try { const u = new URL(v); ok = u.protocol === 'https:' && !!u.hostname && !u.username && !u.password; } catch { ok = false; }
    if (!ok) errors[field] = [{ key: 'brand.error.url' }];
  }
  return v;
}

/** The colour refusal as a field error: the ratio found, against what, and the minimum. */
export function colourProblem(raw: string): FieldErrors[string] | null {
  const v = raw.trim();
  if (!isHexColour(v)) return [{ key: 'brand.error.colour_format' }];
  const c = checkBrandColour(v);
  if (c.ok) return null;
  return [{ key: 'brand.error.colour_contrast', params: { white: shownRatio(c.withWhite), page: shownRatio(c.withPage), min: AA.toFixed(1) } }];
}

function imageProblem(kind: ImageKind, data: Buffer): FieldErrors[string] | null {
  const r = checkImage(kind, data);
  if (r.ok) return null;
  switch (r.problem) {
    case 'empty': return [{ key: 'brand.error.file_empty' }];
    case 'too_large': return [{ key: 'brand.error.file_too_large', params: { max: IMAGE_LIMITS[kind].maxLabel } }];
    case 'type': return [{ key: 'brand.error.file_type', params: { formats: IMAGE_FORMATS[kind] } }];
    case 'svg_unsafe': return [{ key: 'brand.error.svg_unsafe', params: { reason: r.reason } }];
  }
}

const EMPTY: Omit<BrandRow, 'scope' | 'scope_id' | 'version' | 'updated_at'> = {
  name_ja: null, name_en: null, colour: null, footer_ja: null, footer_en: null, support_email: null, support_phone: null,
  support_url: null, support_hours_ja: null, support_hours_en: null, logo_type: null, logo_hash: null, logo_b64: null,
  favicon_type: null, favicon_hash: null, favicon_b64: null,
};

function versionOf(row: Omit<BrandRow, 'version' | 'updated_at'>): string {
  return sha256Hex(JSON.stringify(row)).slice(0, 16);
}

/** Checks a change without writing: every problem by field, or nothing. */
export function checkBrandChange(change: BrandChange): FieldErrors {
  const errors: FieldErrors = {};
  for (const [f, v] of Object.entries(change.text ?? {}) as [TextField, string | undefined][]) if (v !== undefined) checkText(f, v, errors);
  if (change.colour !== undefined && change.colour.trim() !== '') {
    const p = colourProblem(change.colour);
    if (p) errors.colour = p;
  }
  for (const kind of ['logo', 'favicon'] as const) {
    const data = change[kind];
    if (data) {
      const p = imageProblem(kind, data);
      if (p) errors[kind] = p;
    }
  }
  return errors;
}

/** Applies a change to a scope's settings (all checks first: a refused change stores nothing). */
export async function setBrand(db: Db, scope: BrandScope, id: string, change: BrandChange, actor: OperatorActor, now: number): Promise<BrandRow> {
  await brandTarget(db, scope, id); // an unknown preset or organisation is refused before anything else
  const errors = checkBrandChange(change);
  if (Object.keys(errors).length) throw new DomainError('common.field_errors', {}, errors);
  const saved = await db.transaction().execute(async (trx) => {
    const old = await findBrandRow(trx, scope, id);
    const next: Omit<BrandRow, 'version' | 'updated_at'> = { ...EMPTY, ...(old ?? {}), scope, scope_id: id };
    delete (next as Partial<BrandRow>).version;
    delete (next as Partial<BrandRow>).updated_at;
    const changed: string[] = [];
    for (const [f, v] of Object.entries(change.text ?? {}) as [TextField, string | undefined][]) {
      if (v === undefined) continue;
      const value = checkText(f, v, {});
      if (next[f] !== value) { next[f] = value; changed.push(f); }
    }
    if (change.colour !== undefined) {
      const value = change.colour.trim() === '' ? null : change.colour.trim().toLowerCase();
      if (next.colour !== value) { next.colour = value; changed.push('colour'); }
    }
    for (const kind of ['logo', 'favicon'] as const) {
      const data = change[kind];
      if (data === undefined) continue;
      if (data === null) {
        if (next[`${kind}_hash`] !== null) changed.push(kind);
        next[`${kind}_type`] = null; next[`${kind}_hash`] = null; next[`${kind}_b64`] = null;
      } else {
        const r = checkImage(kind, data);
        if (!r.ok) throw new Error('unreachable: checked above');
        const hash = sha256Hex(data).slice(0, 16);
        if (next[`${kind}_hash`] !== hash) changed.push(kind);
        next[`${kind}_type`] = r.type; next[`${kind}_hash`] = hash; next[`${kind}_b64`] = data.toString('base64');
      }
    }
    const row: BrandRow = { ...next, version: versionOf(next), updated_at: now };
    await saveBrandRow(trx, row);
    await auditOperator(trx, actor, 'brand.changed', { organisationId: scope === 'org' ? id : null, detail: { scope, id, fields: changed.join(',') } }, now);
    return row;
  });
  invalidateBrandCache(db);
  return saved;
}

/** Removes every setting of a scope: its pages fall back to the preset's or the product's defaults. */
export async function clearBrand(db: Db, scope: BrandScope, id: string, actor: OperatorActor, now: number): Promise<boolean> {
  await brandTarget(db, scope, id);
  const removed = await db.transaction().execute(async (trx) => {
    const r = await deleteBrandRow(trx, scope, id);
    if (r) await auditOperator(trx, actor, 'brand.cleared', { organisationId: scope === 'org' ? id : null, detail: { scope, id } }, now);
    return r;
  });
  invalidateBrandCache(db);
  return removed;
}

export async function showBrand(db: Db, scope: BrandScope, id: string): Promise<BrandMeta | undefined> {
  const row = await findBrandRow(db, scope, id);
  if (!row) return undefined;
  const { logo_b64: _l, favicon_b64: _f, ...meta } = row;
  return meta;
}

export async function listBrands(db: Db): Promise<BrandMeta[]> {
  return allBrandMeta(db);
}

/**
 * The brand a mail to this user carries (their organisation's over its preset's), read fresh.
 * Always the same three statements, for an unknown user too (a decoy id): the password reset
 * answers an unknown login ID in the same work as a known one (SECURITY.md item 22).
 */
export async function mailBrand(db: Db, userId: string | null, lang: Lang): Promise<Brand | null> {
  const user = await findPublicUser(db, userId ?? '-');
  const org = await findOrganisation(db, user?.organisation_id ?? '-');
  const rows = await brandMetaFor(db, org?.id ?? '-', org?.profile ?? 'business');
  return resolveBrand([rows.find((r) => r.scope === 'org'), rows.find((r) => r.scope === 'preset')], lang);
}
