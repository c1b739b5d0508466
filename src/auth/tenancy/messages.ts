// Organisation texts of the operator's writes (issue 26 item 3; part of auth's catalog,
// src/auth/messages-en.ts and messages-ja.ts).
export const tenancyEn = {
  'orgs.name_invalid': 'Required, at most {max} characters.',
  'orgs.kind_invalid': 'Must be one of {allowed}.',
  'orgs.parent_required': 'A child organisation needs its partner organisation.',
  'orgs.parent_not_allowed': 'Only a child organisation has a parent.',
  'orgs.parent_unknown': 'There is no organisation with id "{id}".',
  'orgs.parent_not_partner': 'The parent must be a partner organisation ("{name}" is {kind}).',
  'orgs.profile_unknown': 'Must be one of {allowed}.',
  'orgs.policy_unknown': 'Must be one of {allowed}.',
  'orgs.has_admin': 'This organisation has a portal admin already; its admins register further users.',
  'orgs.not_customer': 'This is the provider\'s own organisation; operators are added as operators.',
} as const;

export const tenancyJa = {
  'orgs.name_invalid': '必須です。{max} 文字以内で入力してください。',
  'orgs.kind_invalid': '{allowed} のいずれかを選んでください。',
  'orgs.parent_required': '子組織には親（パートナー）組織が必要です。',
  'orgs.parent_not_allowed': '親組織を指定できるのは子組織だけです。',
  'orgs.parent_unknown': 'ID「{id}」の組織はありません。',
  'orgs.parent_not_partner': '親組織はパートナー組織にしてください（「{name}」は {kind} です）。',
  'orgs.profile_unknown': '{allowed} のいずれかを選んでください。',
  'orgs.policy_unknown': '{allowed} のいずれかを選んでください。',
  'orgs.has_admin': 'この組織にはすでにポータル管理者がいます。以降のユーザーは組織の管理者が登録します。',
  'orgs.not_customer': 'これは提供者自身の組織です。オペレーターはオペレーターとして追加してください。',
} as const satisfies { readonly [K in keyof typeof tenancyEn]: string };
