// The provider's console texts (issue 26, helper A: frame, home, tickets inbox); src/messages.ts
// assembles them. Helpers B and C keep theirs in messages-customers-* and messages-publish-*.
import type { MessagesOf } from '../i18n/index.ts';

export const consoleEn = {
  'console.title': "Provider's console",
  'console.nav': 'Console menu',
  'console.area.home': 'Console home',
  'console.area.tickets': 'Tickets',
  'console.area.organisations': 'Organisations',
  'console.area.contracts': 'Contracts',
  'console.area.orders': 'Orders',
  'console.area.notices': 'Notices',
  'console.area.maintenance': 'Maintenance',
  'console.area.terms': 'Terms',
  'console.area.operators': 'Operators',
  'console.role.agent': 'Support agent',
  'console.role.service_manager': 'Service manager',
  'console.role.operator_admin': 'Operator admin',
  'console.home.waiting': 'Tickets waiting for us',
  'console.home.waiting_n': '{n} waiting for the provider',
  'console.home.mine_n': '{n} assigned to me',
  'console.home.unassigned_n': '{n} not assigned',
  'console.home.areas': 'Areas',
  'console.saved': 'Saved.',
} as const;

declare module '../i18n/index.ts' {
  interface Messages extends MessagesOf<typeof consoleEn> {}
}
