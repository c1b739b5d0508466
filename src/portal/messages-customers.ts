// Texts of the operator's writes to the catalogue and contracts (issue 26 item 3): each problem a
// field of a form, a flag of the CLI or a line of a CSV import can have. The portal's part of the
// catalogs; src/messages.ts assembles them.
import type { MessagesOf } from '../i18n/index.ts';

export const customersServiceEn = {
  'contracts.unknown': 'There is no contract {number}.',
  'contracts.import_refused': 'Nothing was imported: {count} line(s) have problems. Fix them and try again.',
  'contracts.import_empty': 'The file has no contract lines.',
  'contracts.import_too_many': 'At most {max} lines can be imported at once.',
  'contracts.number_invalid': 'Must be «N» followed by 9 digits, e.g. N123456789 (got "{value}").',
  'contracts.number_other_org': 'Contract {number} exists already, in another organisation.',
  'contracts.number_taken': 'Contract {number} exists already.',
  'contracts.duplicate_in_file': 'Contract {number} appears again in this file (first on line {line}).',
  'contracts.status_invalid': 'Must be one of {allowed} (got "{value}").',
  'contracts.text_too_long': 'At most {max} characters.',
  'contracts.org_unknown': 'There is no organisation with id "{id}".',
  'contracts.org_not_customer': 'Contracts belong to customer organisations only.',
  'contracts.service_unknown': 'There is no service with code "{code}".',
  'contracts.nothing_to_change': 'Nothing to change.',
  'contracts.csv_header': 'The first line must name the columns: {columns} (missing: {missing}).',
  'contracts.csv_columns': 'This line has {count} column(s); the header has {expected}.',
  'contracts.csv_unreadable': 'The file is not CSV that can be read: {reason}.',
  'catalogue.unknown_service': 'There is no service with code "{code}".',
  'catalogue.unknown_category': 'There is no service category with code "{code}".',
  'catalogue.code_invalid': 'Must be 1–40 lower-case letters, digits or "-" (got "{value}").',
  'catalogue.code_taken': 'The code "{code}" is taken already.',
  'catalogue.name_invalid': 'Required, at most {max} characters.',
  'catalogue.url_invalid': 'Must be an https:// (or http://) URL.',
  'catalogue.position_invalid': 'Must be a whole number from 0 to 10000.',
} as const;

export const customersServiceJa = {
  'contracts.unknown': '契約 {number} はありません。',
  'contracts.import_refused': '取り込みませんでした：{count} 行に問題があります。修正してからもう一度お試しください。',
  'contracts.import_empty': 'ファイルに契約の行がありません。',
  'contracts.import_too_many': '一度に取り込めるのは {max} 行までです。',
  'contracts.number_invalid': '「N」と9桁の数字で入力してください（例：N123456789、入力値「{value}」）。',
  'contracts.number_other_org': '契約 {number} は別の組織にすでにあります。',
  'contracts.number_taken': '契約 {number} はすでにあります。',
  'contracts.duplicate_in_file': '契約 {number} がこのファイルに重複しています（最初は {line} 行目）。',
  'contracts.status_invalid': '{allowed} のいずれかを指定してください（入力値「{value}」）。',
  'contracts.text_too_long': '{max} 文字以内で入力してください。',
  'contracts.org_unknown': 'ID「{id}」の組織はありません。',
  'contracts.org_not_customer': '契約はお客さまの組織にだけ登録できます。',
  'contracts.service_unknown': 'コード「{code}」のサービスはありません。',
  'contracts.nothing_to_change': '変更する項目がありません。',
  'contracts.csv_header': '1行目に列名を書いてください：{columns}（不足：{missing}）。',
  'contracts.csv_columns': 'この行は {count} 列です（見出しは {expected} 列）。',
  'contracts.csv_unreadable': 'CSV として読めません：{reason}。',
  'catalogue.unknown_service': 'コード「{code}」のサービスはありません。',
  'catalogue.unknown_category': 'コード「{code}」のサービスカテゴリはありません。',
  'catalogue.code_invalid': '英小文字・数字・「-」の1～40文字で入力してください（入力値「{value}」）。',
  'catalogue.code_taken': 'コード「{code}」はすでに使われています。',
  'catalogue.name_invalid': '必須です。{max} 文字以内で入力してください。',
  'catalogue.url_invalid': 'https://（または http://）で始まる URL を入力してください。',
  'catalogue.position_invalid': '0～10000 の整数で入力してください。',
} as const satisfies { readonly [K in keyof typeof customersServiceEn]: string };

declare module '../i18n/index.ts' {
  interface Messages extends MessagesOf<typeof customersServiceEn> {}
}
