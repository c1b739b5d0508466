// Password reset texts (S4; part of auth's catalog, src/auth/messages-en.ts).
export const resetEn = {
  'reset.title': 'Password reset',
  'reset.intro': 'Enter the information registered for your account. If it is correct, a mail with a password reset URL is sent to the registered address.',
  'reset.submit': 'Send',
  'reset.requested_title': 'Password reset requested',
  'reset.requested_body': 'If the information is correct, a mail with a password reset URL is sent to the registered address. The URL is valid for {minutes} minutes and can be used once.',
  'reset.no_mail_hint': 'If no mail arrives, check the information you entered and try again later, or ask your portal admin.',
  'reset.back_to_login': 'Back to the login page',
} as const;

export const resetJa = {
  'reset.title': 'パスワード再設定',
  'reset.intro': 'ご登録の情報を入力してください。情報が正しい場合、登録されているメールアドレスにパスワード再設定URLを記載したメールを送信します。',
  'reset.submit': '送信',
  'reset.requested_title': 'パスワード再設定の受付',
  'reset.requested_body': '入力された情報が正しい場合、登録されているメールアドレスにパスワード再設定URLを記載したメールを送信します。URLの有効期限は{minutes}分で、一度のみご利用いただけます。',
  'reset.no_mail_hint': 'メールが届かない場合は、入力内容をご確認のうえ時間をおいて再度お試しいただくか、ポータル管理者にお問い合わせください。',
  'reset.back_to_login': 'ログイン画面に戻る',
} as const satisfies { readonly [K in keyof typeof resetEn]: string };
