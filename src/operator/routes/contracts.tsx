// Contracts, their CSV import, and the catalogue (services and categories) in the provider's console
// (issue 26 item 3): pages under /operator, JSON under /api/operator, over the portal's contract and
// catalogue services (the CLI's `contract …` and `service …` call them too). Minimum role:
// service_manager (src/operator/route-list.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { DomainError, errorBody } from '../../errors.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { attempt } from '../../web/attempt.ts';
import { sendPage } from '../../web/render.ts';
import { organisationNames } from '../../auth/service.ts';
import {
  contractForOperator, createContract, listAllContracts, updateContract, type ContractRow, type ListedContract,
} from '../../portal/contracts/service.ts';
import { importContracts, importRefusal, type ImportReport } from '../../portal/contracts/import.ts';
import { listServices } from '../../portal/catalogue/service.ts';
import { csrf, Id, operatorOf, sendJsonError } from '../guard.ts';
import { ContractPage, ContractsPage, ImportPage } from '../views/contracts.tsx';
import type { FormState } from '../views/customer-parts.tsx';

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 1000 })), org: Type.Optional(Type.String({ maxLength: 64 })),
  service: Type.Optional(Type.String({ maxLength: 64 })), status: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.String({ maxLength: 9 })), size: Type.Optional(Type.String({ maxLength: 9 })),
  done: Type.Optional(Type.String({ maxLength: 20 })), number: Type.Optional(Type.String({ maxLength: 20 })),
});
const Text = Type.Optional(Type.String({ maxLength: 1000 }));
const CreateBody = Type.Object({
  org: Type.String({ maxLength: 100 }), number: Type.String({ maxLength: 100 }), service: Type.String({ maxLength: 100 }),
  group_number: Text, site: Text, memo: Text, status: Type.Optional(Type.String({ maxLength: 40 })), ...csrf,
});
const EditBody = Type.Object({
  service: Type.Optional(Type.String({ maxLength: 100 })), group_number: Text, site: Text, memo: Text,
  status: Type.Optional(Type.String({ maxLength: 40 })), ...csrf,
});
const ImportBody = Type.Object({ csv: Type.String({ maxLength: 1_000_000 }), mode: Type.Optional(Type.String({ maxLength: 20 })), ...csrf });
const ApiImportBody = Type.Object({ csv: Type.String({ maxLength: 1_000_000 }), dryRun: Type.Optional(Type.Boolean()), ...csrf });
const ContractParams = Type.Object({ contractId: Id });

export function contractJson(c: ListedContract | ContractRow, serviceCode?: string) {
  return {
    id: c.id, number: c.number, organisationId: c.organisation_id, status: c.status, groupNumber: c.group_number, site: c.site, memo: c.memo,
    serviceId: c.service_id, ...('service_code' in c ? { service: c.service_code } : serviceCode ? { service: serviceCode } : {}),
  };
}

function reportJson(r: ImportReport) {
  return { applied: r.applied, created: r.created, changed: r.changed, unchanged: r.unchanged, errors: r.errors, fileProblem: r.fileProblem, lines: r.lines };
}

function values(body: object): Record<string, string> {
  const { _csrf, ...v } = body as Record<string, string>;
  return v;
}

const edits = (b: { service?: string | undefined; group_number?: string | undefined; site?: string | undefined; memo?: string | undefined; status?: string | undefined }) =>
  ({ serviceCode: b.service, groupNumber: b.group_number, site: b.site, memo: b.memo, status: b.status });

export function contractConsoleRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    async function listPage(req: FastifyRequest, reply: FastifyReply, query: Parameters<typeof listAllContracts>[1], form: FormState, status = 200) {
      const p = await listAllContracts(ctx.db, query);
      const orgNames = await organisationNames(ctx.db, [...p.rows.map((r) => r.organisation_id), ...(p.org ? [p.org] : [])]);
      return sendPage(reply, ContractsPage({ ctx: req.pageCtx(), role: operatorOf(req).role, p, services: await listServices(ctx.db), orgNames, form }), status);
    }

    async function contractPage(req: FastifyRequest, reply: FastifyReply, id: string, form: FormState, status = 200) {
      const c = await contractForOperator(ctx.db, id);
      if (!c) throw new DomainError('common.not_found');
      const orgName = (await organisationNames(ctx.db, [c.organisation_id])).get(c.organisation_id) ?? c.organisation_id;
      return sendPage(reply, ContractPage({ ctx: req.pageCtx(), role: operatorOf(req).role, c, orgName, services: await listServices(ctx.db), form }), status);
    }

    const refused = (err: DomainError, body: object): FormState => ({
      error: err.code === 'common.field_errors' ? { key: 'common.field_errors' } : { key: err.code, params: err.params }, fields: err.fields, values: values(body),
    });

    app.get('/operator/contracts', { schema: { querystring: ListQuery } }, async (req, reply) => {
      const notice = req.query.done === 'created' && req.query.number ? req.t('cc.contracts.created', { number: req.query.number }) : null;
      return listPage(req, reply, req.query, { notice });
    });

    app.post('/operator/contracts', { schema: { body: CreateBody } }, async (req, reply) => {
      const b = req.body;
      const r = await attempt(() => createContract(ctx.db, { organisationId: b.org.trim(), number: b.number, serviceCode: b.service, groupNumber: b.group_number, site: b.site, memo: b.memo, status: b.status }, ctx.now(), operatorOf(req).actor));
      if (!r.ok) return listPage(req, reply, {}, refused(r.err, b), r.err.status);
      return reply.redirect(`/operator/contracts/${r.value.id}?done=created`, 303);
    });

    app.get('/operator/contracts/import', async (req, reply) =>
      sendPage(reply, ImportPage({ ctx: req.pageCtx(), role: operatorOf(req).role, csv: '', report: null, form: {} })));

    app.post('/operator/contracts/import', { schema: { body: ImportBody } }, async (req, reply) => {
      const dryRun = req.body.mode !== 'apply';
      const report = await importContracts(ctx.db, req.body.csv, { dryRun }, operatorOf(req).actor, ctx.now());
      const fp = report.fileProblem;
      const form: FormState = fp ? { error: { key: 'common.field_errors' }, fields: { csv: [{ key: fp.key, ...(fp.params ? { params: fp.params } : {}) }] } } : {};
      // After a real import the text area is emptied: running it again would only report "unchanged".
      const status = report.errors ? 422 : 200;
      return sendPage(reply, ImportPage({ ctx: req.pageCtx(), role: operatorOf(req).role, csv: report.applied ? '' : req.body.csv, report: report.fileProblem ? null : report, form }), status);
    });

    app.get('/operator/contracts/:contractId', { schema: { params: ContractParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })), changed: Type.Optional(Type.String({ maxLength: 200 })) }) } }, async (req, reply) => {
      let notice: string | null = null;
      if (req.query.done === 'created') notice = req.t('console.saved');
      if (req.query.done === 'saved') {
        const changed = (req.query.changed ?? '').split(',').filter((f) => ['group_number', 'site', 'memo', 'status', 'service_id'].includes(f));
        notice = changed.length ? req.t('cc.contracts.saved', { changed: changed.map((f) => req.t(`cc.contracts.field.${f}` as MessageKey)).join(', ') }) : req.t('cc.contracts.unchanged');
      }
      return contractPage(req, reply, req.params.contractId, { notice });
    });

    app.post('/operator/contracts/:contractId', { schema: { params: ContractParams, body: EditBody } }, async (req, reply) => {
      const c = await contractForOperator(ctx.db, req.params.contractId);
      if (!c) throw new DomainError('common.not_found');
      const r = await attempt(() => updateContract(ctx.db, c.number, edits(req.body), ctx.now(), operatorOf(req).actor));
      if (!r.ok) return contractPage(req, reply, c.id, refused(r.err, req.body), r.err.status);
      return reply.redirect(`/operator/contracts/${c.id}?done=saved&changed=${r.value.changed.join(',')}`, 303);
    });

    // ---- JSON (same services) ----

    app.get('/api/operator/contracts', { schema: { querystring: ListQuery } }, async (req, reply) => {
      const p = await listAllContracts(ctx.db, req.query);
      return reply.send({ contracts: p.rows.map((r) => contractJson(r)), total: p.total, capped: p.capped, page: p.page, pages: p.pages, pageSize: p.pageSize });
    });

    app.post('/api/operator/contracts', { schema: { body: CreateBody } }, async (req, reply) => {
      const b = req.body;
      const r = await attempt(() => createContract(ctx.db, { organisationId: b.org.trim(), number: b.number, serviceCode: b.service, groupNumber: b.group_number, site: b.site, memo: b.memo, status: b.status }, ctx.now(), operatorOf(req).actor));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.code(201).send({ contract: contractJson(r.value, b.service.trim()) });
    });

    app.post('/api/operator/contracts/import', { schema: { body: ApiImportBody } }, async (req, reply) => {
      const report = await importContracts(ctx.db, req.body.csv, { dryRun: req.body.dryRun !== false }, operatorOf(req).actor, ctx.now());
      if (report.errors) {
        const err = importRefusal(report, 'csv');
        return reply.code(422).send({ ...errorBody(req.t, err), report: reportJson(report) });
      }
      return reply.send({ report: reportJson(report) });
    });

    app.get('/api/operator/contracts/:contractId', { schema: { params: ContractParams } }, async (req, reply) => {
      const c = await contractForOperator(ctx.db, req.params.contractId);
      if (!c) throw new DomainError('common.not_found');
      return reply.send({ contract: contractJson(c) });
    });

    app.post('/api/operator/contracts/:contractId', { schema: { params: ContractParams, body: EditBody } }, async (req, reply) => {
      const c = await contractForOperator(ctx.db, req.params.contractId);
      if (!c) throw new DomainError('common.not_found');
      const r = await attempt(() => updateContract(ctx.db, c.number, edits(req.body), ctx.now(), operatorOf(req).actor));
      if (!r.ok) return sendJsonError(req, reply, r.err);
      return reply.send({ contract: contractJson(r.value.contract), changed: r.value.changed.map((f) => (f === 'service_id' ? 'service' : f)) });
    });
  };
}

