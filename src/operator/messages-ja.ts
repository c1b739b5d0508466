// 提供者コンソールの文言 (issue 26, helper A)。
import type { MessagesOf } from '../i18n/index.ts';
import type { consoleEn } from './messages-en.ts';

export const consoleJa = {
  'console.title': '提供者コンソール',
  'console.nav': 'コンソールメニュー',
  'console.area.home': 'コンソールホーム',
  'console.area.tickets': 'お問い合わせ',
  'console.area.organisations': '組織',
  'console.area.contracts': '契約',
  'console.area.orders': 'お申し込み',
  'console.area.notices': 'お知らせ',
  'console.area.maintenance': 'メンテナンス',
  'console.area.terms': '利用規約',
  'console.area.operators': 'オペレーター',
  'console.role.agent': 'サポート担当',
  'console.role.service_manager': 'サービス管理者',
  'console.role.operator_admin': 'オペレーター管理者',
  'console.home.waiting': '提供者の対応待ち',
  'console.home.waiting_n': '対応待ち {n} 件',
  'console.home.mine_n': '自分の担当 {n} 件',
  'console.home.unassigned_n': '未割り当て {n} 件',
  'console.home.areas': 'メニュー',
  'console.saved': '保存しました。',
} as const satisfies MessagesOf<typeof consoleEn>;
