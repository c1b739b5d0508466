// Japanese templates: business Japanese in the register of the seeds' own mails (seed 003).
import type { LangTemplates, MailParams } from '../templates.ts';
import { formatMailTime } from './format.ts';

const at = (t: number) => formatMailTime(t, 'ja');

const footer = `
────────────────────────────────
※本メールは送信専用のメールアドレスから送信しております。
　ご返信いただいてもご回答いたしかねますので、あらかじめご了承ください。`;

/** A notice that something changed on the account (SECURITY.md 17, 20, 27). */
function notice(p: MailParams['password_changed'], title: string, action: string, note?: string) {
  return {
    subject: `【${p.profileName}】${title}`,
    bodyText: `${p.userName} 様

${p.profileName}のご利用アカウントで、次の操作が行われましたのでお知らせいたします。

■操作内容
${action}
■日時
${at(p.at)}
${note ? `\n${note}\n` : ''}
ご本人による操作であれば、本メールへの対応は不要です。
お心当たりのない場合は、第三者による不正な操作の可能性があります。
至急、ポータル管理者までご連絡ください。
${footer}`,
  };
}

export const ja: LangTemplates = {
  starting_guide: (p) => ({
    subject: `【${p.profileName}】ユーザー登録受付メール(開通案内)`,
    bodyText: `${p.userName} 様

このメールは${p.profileName}から自動で送信しています。

${p.profileName}のユーザー登録が完了しましたので、お知らせいたします。
ご利用を開始される前に、下記のURLからパスワードの登録をお願いいたします。

■パスワード登録URL
${p.setupUrl}
有効期限：${at(p.expiresAt)}

上記URLは一度のみご利用いただけます。
有効期限を過ぎた場合は、ログイン画面の「パスワード再設定はこちら」から、
パスワード設定用のURLを再取得いただけます。

■ログインID
${p.loginId}

■ログイン画面
${p.loginUrl}

■パスワードの設定方法・ご利用ガイド
${p.helpUrl}

ログインできないなどお困りの場合は、お申し込みいただいた弊社窓口までお問い合わせください。
${footer}`,
  }),

  password_reset: (p) => ({
    subject: `【${p.profileName}】パスワード再設定メール`,
    bodyText: `${p.userName} 様

${p.profileName}のパスワード再設定を受け付けました。
下記のURLから、新しいパスワードを設定してください。

■パスワード再設定URL
${p.resetUrl}
有効期限：${at(p.expiresAt)}

上記URLは一度のみご利用いただけます。
有効期限を過ぎた場合は、お手数ですが、ログイン画面の「パスワード再設定はこちら」から
再度お手続きください。

お心当たりのない場合は、本メールを破棄してください。パスワードは変更されません。
${footer}`,
  }),

  mail_otp: (p) => ({
    subject: `【${p.profileName}】メールワンタイムパスワード`,
    bodyText: `${p.profileName}へのログインに必要なワンタイムパスワードをお知らせします。

ワンタイムパスワード：${p.code}

有効期限は発行から${p.expiresMinutes}分です。ログイン画面に入力してください。
ワンタイムパスワードは、他の方に教えないでください。
弊社からワンタイムパスワードをお尋ねすることはございません。

ログイン操作にお心当たりのない場合は、第三者がパスワードを不正に入手している可能性があります。
パスワードを変更のうえ、ポータル管理者までご連絡ください。
${footer}`,
  }),

  password_changed: (p) => notice(p, 'パスワード変更のお知らせ', 'パスワードの変更'),
  totp_enrolled: (p) => notice(p, '認証アプリ再登録のお知らせ', '2段階認証の認証アプリ(TOTP)の再登録',
    '以前に登録されていた認証アプリのコードは、今後ご利用いただけません。'),
  backup_code_used: (p) => notice(p, 'バックアップコード使用のお知らせ', 'バックアップコードを使用したログイン',
    '使用したバックアップコードは無効になりました。残りが少なくなった場合は、再発行をおすすめします。'),
  backup_codes_regenerated: (p) => notice(p, 'バックアップコード再発行のお知らせ', 'バックアップコードの再発行',
    '以前のバックアップコードはすべて無効になりました。'),
  ticket_reply: (p) => ({
    subject: p.purpose === 'ask' ? `【${p.profileName}】お問い合わせについて情報のご提供のお願い(${p.ticketNumber})`
      : p.purpose === 'resolve' ? `【${p.profileName}】お問い合わせ解決のお知らせ(${p.ticketNumber})`
        : `【${p.profileName}】お問い合わせへの回答のお知らせ(${p.ticketNumber})`,
    bodyText: `${p.userName} 様

${p.profileName}をご利用いただき、ありがとうございます。
${p.purpose === 'ask' ? 'お問い合わせの対応を進めるため、追加の情報をお願いいたします。ポータルからご返信ください。'
    : p.purpose === 'resolve' ? 'お問い合わせに回答し、解決済みとしました。ご不明な点が残る場合は、ポータルから再開できます。'
      : 'お問い合わせに弊社から回答いたしました。'}

お問い合わせ番号：${p.ticketNumber}
件名：${p.subject}

回答内容は、ログインのうえ次のURLからご確認ください。
${p.ticketUrl}
${p.replyByMail ? '\nこのメールに返信してご回答いただくこともできます。返信の本文がお問い合わせに追加されます(本文のみ。添付ファイルはポータルからお送りください)。\n' : ''}${footer}`,
  }),
  order_update: (p) => {
    const step = ({ received: 'お申し込み受付', reviewing: '審査', arranging: '手配', constructing: '工事', opened: '開通' } as Record<string, string>)[p.step] ?? p.step;
    const what = p.what === 'planned_date'
      ? (p.step === 'opened' ? `開通予定日が${p.plannedDate ?? '(未定)'}になりました。` : `「${step}」の予定日が${p.plannedDate ?? '(未定)'}になりました。`)
      : (p.step === 'opened' ? 'サービスが開通しました。' : `「${step}」が完了しました。`);
    return {
      subject: `【${p.profileName}】お申し込み${p.orderNumber}の${p.what === 'planned_date' ? '予定日変更' : '進捗'}のお知らせ`,
      bodyText: `${p.userName} 様

${p.profileName}をご利用いただき、ありがとうございます。
ポータルでご確認いただけるお申し込みに更新がありました。

お申し込み番号：${p.orderNumber}
サービス：${p.serviceName}
${what}

進捗は、ログインのうえ次のURLからご確認ください。
${p.orderUrl}
${footer}`,
    };
  },
  maintenance_notice: (p) => {
    const status = JA_STATUS[p.status];
    const lead = p.reason === 'published' ? 'ポータルでご覧いただける契約に影響する、次の作業についてお知らせいたします。'
      : p.reason === 'changed' ? '次の作業の期間が変更になりました。'
        : `次の作業の状況が「${status}」に変わりました。`;
    return {
      subject: `[${p.profileName}] ${p.reason === 'published' ? '工事のお知らせ' : p.reason === 'changed' ? '工事期間の変更' : `工事状況の更新（${status}）`}：${p.title}`,
      bodyText: maintenanceBodyJa(p, lead),
    };
  },
  maintenance_reminder: (p) => {
    const what = p.moment === 'before' ? `${p.leadHours}時間後に開始します` : p.moment === 'start' ? '開始しました' : '終了時刻になりました';
    return {
      subject: `[${p.profileName}] リマインダー：工事が${what}：${p.title}`,
      bodyText: maintenanceBodyJa(p, `次の作業が${what}。`),
    };
  },

};

const JA_STATUS = { tentative: '仮予定', confirmed: '確定', in_progress: '実施中', completed: '完了', cancelled: '中止' } as const;
const JA_IMPACT = { outage: 'サービス停止', degraded: '品質低下', reduced_redundancy: '冗長性低下', none: '影響なし' } as const;

/** 2つの工事メールに共通の本文：内容・期間・対象の契約・詳細と配信停止の案内。 */
function maintenanceBodyJa(p: MailParams['maintenance_reminder'] | MailParams['maintenance_notice'], lead: string): string {
  return `${p.userName} 様

${lead}

件名：${p.title}
状況：${JA_STATUS[p.status]}
期間：${at(p.startsAt)} ～ ${p.endsAt !== null ? at(p.endsAt) : '終了未定'}

対象の契約：
${p.contracts.map((c) => `  ${c.number}：${JA_IMPACT[c.impact]}`).join('\n')}

添付のカレンダーファイル（.ics）には、同じ内容をBCOP MAINTNOTE形式で記載しています。
${p.noticeUrl ? `詳しくはポータルでご確認ください。\n${p.noticeUrl}\n` : ''}${p.settingsUrl ? `受け取るメールは次のページで選べます。\n${p.settingsUrl}\n` : ''}${p.unsubscribeUrl ? `このメールは、対象の契約の技術連絡先としてお送りしています。配信を停止するには：\n${p.unsubscribeUrl}\n` : ''}${footer}`;
}
