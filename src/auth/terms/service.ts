// S6 terms: versioned; the newest must be accepted before anything else; acceptance recorded.
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import type { TermsVersionTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { newId } from '../crypto/tokens.ts';
import { diffLines, hasChanges, type DiffLine } from '../../lib/line-diff.ts';

export type TermsVersion = TermsVersionTable;

export async function currentTerms(db: Db): Promise<TermsVersion | undefined> {
  return db.selectFrom('terms_version').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** True when the user has accepted the newest published version (or none is published). */
export async function termsAccepted(db: Db, userId: string): Promise<boolean> {
  const cur = await currentTerms(db);
  if (!cur) return true;
  const row = await db.selectFrom('terms_acceptance').select('accepted_at')
    .where('user_id', '=', userId).where('terms_version_id', '=', cur.id).executeTakeFirst();
  return row !== undefined;
}

/**
 * Publishes the next version. `basedOn` (the console and the operator API): the id of the version
 * the operator's diff was made against (null: none was published); if another was published since,
 * nothing is written and 'terms.stale' asks for a fresh diff.
 */
export async function publishTerms(ctx: AppContext, t: { titleJa: string; titleEn: string; bodyJa: string; bodyEn: string }, actor: { userId: string | null; ip: string }, basedOn?: string | null): Promise<TermsVersion> {
  const now = ctx.now();
  // Two publishers at once (PostgreSQL, READ COMMITTED): both read the same current version and
  // number theirs the same; the unique version refuses the second, which is stale, not a server error.
  return ctx.db.transaction().execute(async (trx) => {
    const cur = await currentTerms(trx);
    if (basedOn !== undefined && (cur?.id ?? null) !== basedOn) throw new DomainError('terms.stale');
    const row: TermsVersion = {
      id: newId(), version: (cur?.version ?? 0) + 1, title_ja: t.titleJa, title_en: t.titleEn, body_ja: t.bodyJa, body_en: t.bodyEn, published_at: now,
    };
    try {
      await trx.insertInto('terms_version').values(row).execute();
    } catch (err) {
      const code = (err as { code?: string } | null)?.code;
      if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DomainError('terms.stale', {}, {}, { cause: err });
      throw err;
    }
    await audit(trx, { event: 'terms.published', actorUserId: actor.userId, ip: actor.ip, detail: { version: row.version } }, now);
    return row;
  });
}

export const MAX_TERMS_TITLE = 200;
export const MAX_TERMS_BODY = 100_000;
export interface TermsInput { titleJa: string; titleEn: string; bodyJa: string; bodyEn: string }

/**
 * Checks a new version's texts (console, CLI): titles trimmed and at most MAX_TERMS_TITLE, bodies
 * not blank (kept as written, less a BOM) and at most MAX_TERMS_BODY. Throws naming every field.
 */
export function checkTerms(t: TermsInput): TermsInput {
  const out = { titleJa: t.titleJa.trim(), titleEn: t.titleEn.trim(), bodyJa: t.bodyJa.replace(/^\uFEFF/, ''), bodyEn: t.bodyEn.replace(/^\uFEFF/, '') };
  const fields: Record<string, { key: 'terms.text_invalid'; params: { max: number } }[]> = {};
  for (const [k, v] of Object.entries(out)) {
    const max = k.startsWith('title') ? MAX_TERMS_TITLE : MAX_TERMS_BODY;
    if (!v.trim() || v.length > max) fields[k] = [{ key: 'terms.text_invalid', params: { max: MAX_TERMS_TITLE } }];
  }
  if (Object.keys(fields).length) throw new DomainError('terms.text_invalid', { max: MAX_TERMS_TITLE }, fields);
  return out;
}

/** What publishing `next` would change, per language, against the newest published version (none: all added). */
export interface TermsDiff {
  previous: { id: string; version: number; publishedAt: number } | null;
  title: { ja: DiffLine[]; en: DiffLine[] }; body: { ja: DiffLine[]; en: DiffLine[] };
  changed: boolean;
}

export function termsDiff(previous: TermsVersion | undefined, next: TermsInput): TermsDiff {
  const title = { ja: diffLines(previous?.title_ja ?? '', next.titleJa), en: diffLines(previous?.title_en ?? '', next.titleEn) };
  const body = { ja: diffLines(previous?.body_ja ?? '', next.bodyJa), en: diffLines(previous?.body_en ?? '', next.bodyEn) };
  return {
    previous: previous ? { id: previous.id, version: previous.version, publishedAt: previous.published_at } : null,
    title, body, changed: [title.ja, title.en, body.ja, body.en].some(hasChanges),
  };
}

/** The diff of a proposed version against the current one (the console's step before publishing). */
export async function diffAgainstCurrent(db: Db, next: TermsInput): Promise<TermsDiff> {
  return termsDiff(await currentTerms(db), checkTerms(next));
}

/** The diff of a published version against the one before it. */
export async function diffOfVersion(db: Db, id: string): Promise<{ version: TermsVersion; diff: TermsDiff }> {
  const version = await termsVersion(db, id);
  const previous = await db.selectFrom('terms_version').selectAll().where('version', '<', version.version).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return { version, diff: termsDiff(previous, { titleJa: version.title_ja, titleEn: version.title_en, bodyJa: version.body_ja, bodyEn: version.body_en }) };
}

export async function termsVersion(db: Db, id: string): Promise<TermsVersion> {
  const row = id.length <= 64 ? await db.selectFrom('terms_version').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw new DomainError('common.not_found');
  return row;
}

/** Every published version, newest first, with how many users accepted each. */
export async function listTermsVersions(db: Db): Promise<(TermsVersion & { acceptances: number })[]> {
  const rows = await db.selectFrom('terms_version').selectAll('terms_version')
    .select((eb) => eb.selectFrom('terms_acceptance').select((e) => e.fn.countAll<number>().as('n')).whereRef('terms_acceptance.terms_version_id', '=', 'terms_version.id').as('acceptances'))
    .orderBy('version', 'desc').limit(500).execute();
  return rows.map((r) => ({ ...r, acceptances: Number(r.acceptances ?? 0) }));
}

/** Checks the texts, then publishes them as the next version (console, CLI); audited. */
export async function publishCheckedTerms(ctx: AppContext, t: TermsInput, actor: { userId: string | null; ip: string }, basedOn?: string | null): Promise<TermsVersion> {
  return publishTerms(ctx, checkTerms(t), actor, basedOn);
}

/** Records acceptance of the version the user saw; a stale version id (a newer one was published) is refused. */
export async function acceptTerms(ctx: AppContext, userId: string, organisationId: string, versionId: string, ticked: boolean, ip: string): Promise<void> {
  const now = ctx.now();
  if (!ticked) throw new DomainError('terms.must_tick', {}, { accept: [{ key: 'terms.must_tick' }] });
  const cur = await currentTerms(ctx.db);
  if (!cur || cur.id !== versionId) throw new DomainError('auth.wrong_step');
  // A repeated acceptance (a double submit, a second tab) inserts nothing and audits nothing.
  const inserted = await ctx.db.insertInto('terms_acceptance').values({ user_id: userId, terms_version_id: cur.id, accepted_at: now, ip })
    .onConflict((oc) => oc.columns(['user_id', 'terms_version_id']).doNothing()).returning('user_id').executeTakeFirst();
  if (inserted) await audit(ctx.db, { event: 'terms.accepted', subjectUserId: userId, organisationId, ip, detail: { version: cur.version } }, now);
}

export const DEFAULT_TERMS = {
  // {portal} is replaced by the reader's portal name when shown (src/auth/views/terms.tsx).
  titleJa: '{portal}規約',
  titleEn: '{portal} Terms',
  bodyJa: '本規約は、当社が提供する{portal}(以下「本ポータル」)の利用条件を定めるものです。\n\n1. お客さまは、ログインIDおよびパスワード等の認証情報を適切に管理するものとします。\n2. お客さまは、本ポータルで取得した情報を自社の業務目的の範囲内で利用するものとします。\n3. 当社は、個人情報保護に関する規程に従い、お客さまの個人情報を取り扱います。\n4. 当社は、保守のため本ポータルの提供を一時的に停止することがあります。',
  bodyEn: 'These terms set out the conditions for using {portal}, the portal we provide (the "Portal").\n\n1. You keep your login ID, password and other credentials safe.\n2. You use information obtained from the Portal only for your own business purposes.\n3. We handle your personal information in accordance with our Terms of Personal Information Protection.\n4. We may suspend the Portal temporarily for maintenance.',
};
