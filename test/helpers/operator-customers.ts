// Targets for the console's customers and contracts routes (issue 26 item 3) in HTTP tests: a
// category and two services (once), and per call a fresh customer organisation without an admin, a
// contract and an order in progress, so one request cannot spoil the next (an order opened, …).
import type { TestApp } from './app.ts';
import { createCustomerOrganisation } from '../../src/auth/service.ts';
import { createCategory, createService, findServiceByCode } from '../../src/portal/catalogue/service.ts';
import { createContract } from '../../src/portal/contracts/service.ts';
import { createOrder, STEP_CODES } from '../../src/portal/orders/service.ts';

export interface CustomerFx { freshOrgId: string; contractId: string; contractNumber: string; orderNumber: string; serviceCode: string; categoryCode: string }

const SYSTEM = { userId: null, ip: '127.0.0.1' };
let seq = 0;

export async function givenCatalogue(app: TestApp): Promise<void> {
  if (await findServiceByCode(app.ctx.db, 'fx-pbx')) return;
  await createCategory(app.ctx.db, { code: 'fx-voice', nameJa: '音声', nameEn: 'Voice' }, SYSTEM, app.ctx.now());
  await createService(app.ctx.db, { code: 'fx-pbx', categoryCode: 'fx-voice', nameJa: 'スマートPBX', nameEn: 'Smart PBX' }, app.ctx.now(), SYSTEM);
  await createService(app.ctx.db, { code: 'fx-fax', categoryCode: 'fx-voice', nameJa: 'ファクス', nameEn: 'Fax' }, app.ctx.now(), SYSTEM);
}

export async function customerFixtures(app: TestApp, orgId: string): Promise<CustomerFx> {
  await givenCatalogue(app);
  const n = ++seq;
  const fresh = await createCustomerOrganisation(app.ctx.db, { name: `Fresh ${n}`, kind: 'direct' }, SYSTEM, app.ctx.now());
  const number = `N7${String(n).padStart(8, '0')}`;
  const c = await createContract(app.ctx.db, { organisationId: orgId, number, serviceCode: 'fx-pbx' }, app.ctx.now(), SYSTEM);
  const o = await createOrder(app.ctx.db, { organisationId: orgId, serviceCode: 'fx-pbx', appliedAt: app.ctx.now(), steps: [...STEP_CODES], number: `FX-${n}` }, app.ctx.now(), SYSTEM);
  return { freshOrgId: fresh.id, contractId: c.id, contractNumber: number, orderNumber: o.number, serviceCode: 'fx-pbx', categoryCode: 'fx-voice' };
}
