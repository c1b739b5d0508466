// Profile texts that came with the change-password form (domain part of the catalogs).
export const profileEn = {
  'profile.change_password': 'Change password',
  'profile.current_password': 'Current password',
  'profile.password_changed': 'Your password has been changed. Your other sessions were signed out.',
} as const;

export const profileJa = {
  'profile.change_password': 'パスワードの変更',
  'profile.current_password': '現在のパスワード',
  'profile.password_changed': 'パスワードを変更しました。ほかの端末のセッションはログアウトされました。',
} as const satisfies { readonly [K in keyof typeof profileEn]: string };
