// Contract pages and their JSON twins (S8, S14): the list (GET form, filter in the URL), its CSV,
// one contract and the settings-site list (its buttons are src/oidc/routes.tsx's). Every read goes through the
// viewer's ContractScope (access.ts); an id the viewer may not see answers 404 like an unknown one.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { sendPage } from '../../web/render.ts';
import { authOf } from '../../auth/index.ts';
import { CSV_BOM, csvRow } from '../../web/csv.ts';
import type { ContractScope } from '../access.ts';
import { sessionScope } from '../viewer.ts';
import {
  CONTRACT_STATUSES, contractFor, exportContracts, listContracts,
  type ContractPage, type ContractQuery, type ListedContract,
} from './service.ts';
import { contractRelated } from './detail.ts';
import { findService, listServices } from '../catalogue/service.ts';
import { touchService } from '../dashboard/shortcuts.ts';
import { ContractListPage } from '../views/contracts.tsx';
import { ContractPage as ContractDetailPage } from '../views/contract.tsx';
import { SettingsSitesPage } from '../views/settings-sites.tsx';
import { nameOf } from '../views/parts.tsx';

export const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 1000, description: 'Keywords separated by full-width or half-width spaces; all must match' })),
  service: Type.Optional(Type.String({ maxLength: 64, description: 'Service id' })),
  status: Type.Optional(Type.Union([Type.Literal(''), ...CONTRACT_STATUSES.map((s) => Type.Literal(s))])),
  page: Type.Optional(Type.String({ maxLength: 12, description: '1-based; not a positive integer → 1; past the end → the last page' })),
  size: Type.Optional(Type.String({ maxLength: 12, description: '10, 20, 50 or 100 (others go to the largest allowed size below them)' })),
});
const ContractParams = Type.Object({ contractId: Type.String({ minLength: 1, maxLength: 64 }) });

const ContractJson = Type.Object({
  id: Type.String(), number: Type.String(), groupNumber: Type.String(), serviceId: Type.String(), serviceCode: Type.String(),
  serviceName: Type.String(), site: Type.String(), memo: Type.String(), status: Type.String(), hasSettingsSite: Type.Boolean(),
});
const ListJson = Type.Object({
  contracts: Type.Array(ContractJson), total: Type.Integer(), totalCapped: Type.Boolean(), page: Type.Integer(), pageSize: Type.Integer(), pages: Type.Integer(),
});

function contractJson(r: ListedContract, lang: 'ja' | 'en'): Static<typeof ContractJson> {
  return {
    id: r.id, number: r.number, groupNumber: r.group_number, serviceId: r.service_id, serviceCode: r.service_code,
    serviceName: lang === 'ja' ? r.service_name_ja : r.service_name_en, site: r.site, memo: r.memo, status: r.status,
    hasSettingsSite: r.settings_site_url !== null,
  };
}

function pageJson(p: ContractPage, lang: 'ja' | 'en'): Static<typeof ListJson> {
  return { contracts: p.rows.map((r) => contractJson(r, lang)), total: p.total, totalCapped: p.capped, page: p.page, pageSize: p.pageSize, pages: p.pages };
}

export function contractRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Registered inside portalRoutes, whose requirePortal guard covers these routes too.
    // The scope comes with the session (src/portal/viewer.ts): no query.
    function scopeOf(req: FastifyRequest): ContractScope {
      return sessionScope(authOf(req));
    }

    async function visibleOr404(scope: ContractScope, id: string): Promise<ListedContract> {
      const c = await contractFor(ctx.db, scope, id);
      if (!c) throw new DomainError('common.not_found'); // another organisation's id looks like no id
      return c;
    }

    app.get('/portal/contracts', {
      schema: { summary: 'Contracts the user may view (S8): keyword, service and status filters, pages', tags: ['portal'], querystring: ListQuery, response: { 200: ListJson } },
    }, async (req, reply) => {
      const scope = scopeOf(req);
      const p = await listContracts(ctx.db, scope, req.query as ContractQuery);
      if (req.wantsJson()) return reply.send(pageJson(p, req.lang));
      // The filter offers the provider's services (the catalogue is not secret); finding the ones the
      // viewer has contracts of costs a pass over their grants, which the dashboard pays, not the list.
      const services = await listServices(ctx.db);
      const current = services.find((s) => s.id === p.serviceId);
      // S7 «最近の操作»: a service list that showed the viewer's contracts counts as a visit.
      if (current && p.rows.length) await touchService(ctx.db, scope.viewer.userId, current.id, ctx.now());
      return sendPage(reply, ContractListPage({ ctx: req.pageCtx(), p, services, serviceName: current ? nameOf(current, req.lang) : null }));
    });

    app.get('/portal/contracts.csv', {
      schema: { summary: 'The filtered contract list as CSV (UTF-8 with BOM; formulas neutralised)', tags: ['portal'], querystring: ListQuery },
    }, async (req, reply) => {
      const scope = scopeOf(req);
      const t = req.t;
      const lang = req.lang;
      const batches = exportContracts(ctx.db, scope, req.query as ContractQuery);
      async function* lines() {
        yield CSV_BOM + csvRow([t('portal.col.number'), t('portal.col.group_number'), t('portal.col.service'), t('portal.col.site'), t('portal.col.memo'), t('portal.col.status')]);
        for await (const rows of batches) {
          yield rows.map((r) => csvRow([r.number, r.group_number, lang === 'ja' ? r.service_name_ja : r.service_name_en, r.site, r.memo, t(`portal.status.${r.status}`)])).join('');
        }
      }
      return reply.header('content-type', 'text/csv; charset=utf-8').header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="contracts.csv"').send(Readable.from(lines()));
    });

    app.get('/portal/contracts/:contractId', {
      schema: { summary: 'One contract with its orders, notices and tickets', tags: ['portal'], params: ContractParams },
    }, async (req, reply) => {
      const scope = scopeOf(req);
      const c = await visibleOr404(scope, req.params.contractId);
      const related = await contractRelated(ctx.db, c, ctx.now());
      if (req.wantsJson()) return reply.send({ contract: contractJson(c, req.lang), ...related });
      return sendPage(reply, ContractDetailPage({ ctx: req.pageCtx(), c, related }));
    });

    app.get('/portal/settings-sites', {
      schema: { summary: 'Contracts whose service has a Web settings site (S8 «設定変更一覧»)', tags: ['portal'], querystring: ListQuery },
    }, async (req, reply) => {
      const scope = scopeOf(req);
      const { status: _ignored, ...query } = req.query as ContractQuery;
      const p = await listContracts(ctx.db, scope, query, { settingsSiteOnly: true });
      if (req.wantsJson()) return reply.send(pageJson(p, req.lang));
      const service = p.serviceId ? await findService(ctx.db, p.serviceId) : undefined; // a name from the catalogue, not secret
      return sendPage(reply, SettingsSitesPage({ ctx: req.pageCtx(), p, serviceName: service ? nameOf(service, req.lang) : null }));
    });
  };
}
