// Texts of auth's error codes the one JSON error shape needs (issue 13 item 7) that had no message
// key: every code of the closed union in src/errors.ts is a message. src/auth/messages-en.ts and
// messages-ja.ts spread them in.
export const flowsEn = {
  'auth.unauthenticated': 'Your session has ended. Please log in again.',
  'terms.must_accept': 'Please read and accept the terms to continue.',
} as const;

export const flowsJa = {
  'auth.unauthenticated': 'セッションが終了しました。再度ログインしてください。',
  'terms.must_accept': '規約をお読みいただき、同意のうえお進みください。',
} as const satisfies { readonly [K in keyof typeof flowsEn]: string };
