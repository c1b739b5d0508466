// S6 terms: versioned; the newest must be accepted before anything else; acceptance recorded.
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/index.ts';
import type { TermsVersionTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../../audit/log.ts';
import { newId } from '../crypto/tokens.ts';

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

export async function publishTerms(ctx: AppContext, t: { titleJa: string; titleEn: string; bodyJa: string; bodyEn: string }, actor: { userId: string | null; ip: string }): Promise<TermsVersion> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const cur = await currentTerms(trx);
    const row: TermsVersion = {
      id: newId(), version: (cur?.version ?? 0) + 1, title_ja: t.titleJa, title_en: t.titleEn, body_ja: t.bodyJa, body_en: t.bodyEn, published_at: now,
    };
    await trx.insertInto('terms_version').values(row).execute();
    await audit(trx, { event: 'terms.published', actorUserId: actor.userId, ip: actor.ip, detail: { version: row.version } }, now);
    return row;
  });
}

/** Records acceptance of the version the user saw; a stale version id (a newer one was published) is refused. */
export async function acceptTerms(ctx: AppContext, userId: string, organisationId: string, versionId: string, ticked: boolean, ip: string): Promise<void> {
  const now = ctx.now();
  if (!ticked) throw new DomainError('terms.must_tick', {}, { accept: [{ key: 'terms.must_tick' }] });
  const cur = await currentTerms(ctx.db);
  if (!cur || cur.id !== versionId) throw new DomainError('auth.wrong_step');
  await ctx.db.insertInto('terms_acceptance').values({ user_id: userId, terms_version_id: cur.id, accepted_at: now, ip })
    .onConflict((oc) => oc.columns(['user_id', 'terms_version_id']).doNothing()).execute();
  await audit(ctx.db, { event: 'terms.accepted', subjectUserId: userId, organisationId, ip, detail: { version: cur.version } }, now);
}

export const DEFAULT_TERMS = {
  // {portal} is replaced by the reader's portal name when shown (src/auth/views/terms.tsx).
  titleJa: '{portal}規約',
  titleEn: '{portal} Terms',
  bodyJa: '本規約は、当社が提供する{portal}(以下「本ポータル」)の利用条件を定めるものです。\n\n1. お客さまは、ログインIDおよびパスワード等の認証情報を適切に管理するものとします。\n2. お客さまは、本ポータルで取得した情報を自社の業務目的の範囲内で利用するものとします。\n3. 当社は、個人情報保護に関する規程に従い、お客さまの個人情報を取り扱います。\n4. 当社は、保守のため本ポータルの提供を一時的に停止することがあります。',
  bodyEn: 'These terms set out the conditions for using {portal}, the portal we provide (the "Portal").\n\n1. You keep your login ID, password and other credentials safe.\n2. You use information obtained from the Portal only for your own business purposes.\n3. We handle your personal information in accordance with our Terms of Personal Information Protection.\n4. We may suspend the Portal temporarily for maintenance.',
};
