// Texts of the guided first login (issue 20 item 6): the step indicator, the live password rule
// checklist, the show-password toggle, the TOTP key's copy button and the busy submit button.
// src/auth/messages-en.ts and messages-ja.ts spread them in.
export const guideEn = {
  'guide.step.identity': 'Identity verification',
  'guide.step.password': 'Set password',
  'guide.step.second_factor': '2-step verification',
  'guide.step.terms': 'Terms',
  'guide.rules_met': 'Met',
  'guide.rules_unmet': 'Not met yet',
  'guide.rules_on_save': 'Checked when you save',
  'guide.rules_summary': '{met} of {total} rules met.',
  'guide.rules_all_met': 'All the rules are met.',
  'guide.show_password': 'Show password',
  'guide.copy_key': 'Copy the key',
  'guide.copied': 'Copied',
  'guide.sending': 'Sending…',
} as const;

export const guideJa = {
  'guide.step.identity': '本人確認',
  'guide.step.password': 'パスワード設定',
  'guide.step.second_factor': '2段階認証',
  'guide.step.terms': '利用規約',
  'guide.rules_met': '達成',
  'guide.rules_unmet': '未達成',
  'guide.rules_on_save': '保存時に確認します',
  'guide.rules_summary': '{total}項目中{met}項目のルールを満たしています。',
  'guide.rules_all_met': 'すべてのルールを満たしています。',
  'guide.show_password': 'パスワードを表示',
  'guide.copy_key': 'キーをコピー',
  'guide.copied': 'コピーしました',
  'guide.sending': '送信中…',
} as const satisfies { readonly [K in keyof typeof guideEn]: string };
