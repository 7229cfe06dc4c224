import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import { WmoError } from '@wmo-toolkit/core';
import { CODE_LISTS, type DeliverHooks, type DeliverRequest } from '@wmo-toolkit/pipeline';
import { JobStore, type Job, type ResultKind } from './jobs.js';
import { renderPage } from './page.js';
import { UploadError, extractZip, safeName, saveStream } from './uploads.js';

export interface ServerOptions {
  host?: string;
  port?: number;
  /** Required when `host` is not a loopback address; then every API call needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Largest upload in bytes (all files of a job together, zip contents counted unpacked). */
  maxUploadBytes?: number;
  /** Results are removed this long after a job finished, fetched or not. */
  jobTtlMs?: number;
  /** Where the job folders live (default: a new folder in the system's temp folder). */
  workDir?: string;
  /** Adapters from outside the toolkit. */
  hooks?: Pick<DeliverHooks, 'declarationSources' | 'codeLists'>;
  /** Log requests (method, path, status; never bodies or query strings). */
  log?: boolean;
}

export interface WebApp {
  app: FastifyInstance;
  store: JobStore;
  /** Starts listening; resolves with the address. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
export const DEFAULT_MAX_UPLOAD = 500_000_000;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

const FIELDS = ['gemeente', 'jaar', 'periode', 'aanleverdatum', 'codelijst', 'pending', 'dialect', 'formaat'] as const;
const FILE_FIELDS = ['declaraties', 'clienten', 'wijken', 'adressen', 'mapping'] as const;
type FileField = (typeof FILE_FIELDS)[number];

export async function createWebApp(options: ServerOptions = {}): Promise<WebApp> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token;
  if (!isLoopback(host) && !token) {
    throw new WmoError(`The web app listens on ${host}, which is not this machine only; set WMO_TOKEN to a long secret so that every API call must carry it.`, { code: 'usage' });
  }
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
  const workDir = options.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'wmo-web-')));
  const store = new JobStore({ workDir, ttlMs: options.jobTtlMs ?? 60 * 60 * 1000, concurrency: Math.max(1, os.availableParallelism?.() ?? 2), ...(options.hooks ? { hooks: options.hooks } : {}) });

  const app = Fastify({
    logger: options.log
      ? { serializers: { req: (req) => ({ method: req.method, url: req.url.split('?')[0] }), res: (res) => ({ statusCode: res.statusCode }) } }
      : false,
    bodyLimit: 1024 * 1024,
    // close() must not wait for a client that is still sending an upload we refused
    forceCloseConnections: true,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'wmo-toolkit web API', version: '1', description: 'Upload iWmo declarations and a client register; get the Gemeentezorgspiegel (QSD301) delivery and its quality report.' },
      components: token ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {},
      ...(token ? { security: [{ bearer: [] }] } : {}),
    },
  });
  await app.register(multipart, { limits: { fileSize: maxUpload, files: 100_000, fields: 50, fieldSize: 10_000 }, throwFileSizeLimit: true });

  const authorized = (request: FastifyRequest): boolean => {
    if (!token) return true;
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/') && !authorized(request)) {
      await reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'Deze API vraagt om een token: Authorization: Bearer <token>.' });
    }
  });

  app.get('/health', { schema: { summary: 'Ready check', response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(renderPage({ tokenRequired: Boolean(token), codeLists: Object.keys(CODE_LISTS), maxUploadMb: Math.round(maxUpload / 1e6) })));

  const jobView = (job: Job) => ({
    id: job.id,
    status: job.status,
    progress: job.progress,
    ...(job.error ? { error: job.error } : {}),
    ...(job.passed !== undefined ? { passed: job.passed } : {}),
    files: Object.keys(job.files).map((kind) => ({ kind, url: `/api/jobs/${job.id}/files/${kind}` })),
  });
  const jobSchema = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      status: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
      progress: { type: 'object', properties: { files: { type: 'integer' }, bytes: { type: 'integer' }, performances: { type: 'integer' }, elapsedSeconds: { type: 'number' } } },
      error: { type: 'string' },
      passed: { type: 'boolean' },
      files: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string' }, url: { type: 'string' } } } },
    },
  };
  const errorSchema = { type: 'object', properties: { error: { type: 'string' } } };

  app.post(
    '/api/jobs',
    {
      schema: {
        summary: 'Start a delivery job',
        description:
          'multipart/form-data, streamed to disk. Fields: gemeente (4 digits), jaar, periode (Y|H1), aanleverdatum (YYYY-MM-DD, default today), codelijst, pending (ja), dialect (example|field-table), formaat (iwmo|csv-export). Files: declaraties (repeat; a .zip is unpacked), clienten (CSV), wijken, adressen, mapping (for csv-export).',
        consumes: ['multipart/form-data'],
        response: { 202: jobSchema, 400: errorSchema, 401: errorSchema, 413: errorSchema },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) return reply.code(400).send({ error: 'Stuur de bestanden als multipart/form-data.' });
      const job = await store.create();
      const fields: Partial<Record<(typeof FIELDS)[number], string>> = {};
      const saved: Record<FileField, string[]> = { declaraties: [], clienten: [], wijken: [], adressen: [], mapping: [] };
      const budget = { left: maxUpload, limit: maxUpload };
      try {
        for await (const part of request.parts()) {
          if (part.type === 'field') {
            if ((FIELDS as readonly string[]).includes(part.fieldname)) fields[part.fieldname as (typeof FIELDS)[number]] = String(part.value).trim();
            continue;
          }
          if (!(FILE_FIELDS as readonly string[]).includes(part.fieldname)) {
            part.file.resume();
            throw new UploadError(400, `Onbekend bestandsveld ${JSON.stringify(part.fieldname)}; gebruik ${FILE_FIELDS.join(', ')}.`);
          }
          if (part.filename === '') {
            part.file.resume(); // an optional file input left empty by the browser
            continue;
          }
          const field = part.fieldname as FileField;
          const name = safeName(part.filename);
          const folder = path.join(job.inputDir, field);
          let target = path.join(folder, name);
          for (let n = 2; saved[field].includes(target); n++) target = path.join(folder, `${n}-${name}`);
          await saveStream(part.file, target, budget);
          if ((part.file as { truncated?: boolean }).truncated) throw new UploadError(413, `The upload is larger than the limit of ${Math.round(maxUpload / 1e6)} MB.`);
          if (field === 'declaraties' && /\.zip$/i.test(name)) {
            const into = path.join(folder, name.replace(/\.zip$/i, ''));
            await extractZip(target, into, budget);
            await rm(target);
            saved[field].push(into);
          } else saved[field].push(target);
        }
      } catch (error) {
        await store.remove(job);
        if (error instanceof UploadError) return reply.code(error.statusCode as 400 | 413).send({ error: error.message });
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return reply.code(413).send({ error: `The upload is larger than the limit of ${Math.round(maxUpload / 1e6)} MB.` });
        if ((error as { code?: string }).code?.startsWith('FST_')) return reply.code(400).send({ error: `De upload is onvolledig of onleesbaar (${(error as Error).message}).` });
        throw error;
      }
      const missing = [!fields.gemeente && 'gemeente', !fields.jaar && 'jaar', saved.declaraties.length === 0 && 'declaraties', saved.clienten.length === 0 && 'clienten'].filter(Boolean);
      if (missing.length > 0) {
        await store.remove(job);
        return reply.code(400).send({ error: `Er ontbreekt: ${missing.join(', ')}.` });
      }
      if (!/^\d{4}$/.test(fields.jaar!)) {
        await store.remove(job);
        return reply.code(400).send({ error: `Jaar ${JSON.stringify(fields.jaar)} is geen jaartal.` });
      }
      const deliverRequest: Omit<DeliverRequest, 'out'> = {
        municipality: fields.gemeente!,
        year: Number(fields.jaar),
        period: fields.periode === 'H1' ? 'H1' : 'Y',
        declarations: saved.declaraties,
        clients: saved.clienten[0]!,
        deliveryDate: fields.aanleverdatum || new Date().toISOString().slice(0, 10),
        countPending: fields.pending === 'ja',
        dialect: fields.dialect === 'field-table' ? 'field-table' : 'example',
        ...(fields.formaat ? { declarationsFormat: fields.formaat } : {}),
        ...(saved.mapping[0] ? { mapping: saved.mapping[0] } : {}),
        ...(fields.codelijst ? { codelist: fields.codelijst } : {}),
        ...(saved.wijken[0] ? { wijken: saved.wijken[0] } : {}),
        ...(saved.adressen[0] ? { addresses: saved.adressen[0] } : {}),
      };
      store.start(job, deliverRequest);
      return reply.code(202).send(jobView(job));
    },
  );

  const findJob = (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): Job | undefined => {
    const job = store.get(request.params.id);
    if (!job) void reply.code(404).send({ error: 'Deze taak bestaat niet (meer): resultaten worden verwijderd zodra ze zijn opgehaald, of na verloop van tijd.' });
    return job;
  };

  app.get<{ Params: { id: string } }>(
    '/api/jobs/:id',
    { schema: { summary: 'Status and progress of a job', params: { type: 'object', properties: { id: { type: 'string' } } }, response: { 200: jobSchema, 404: errorSchema } } },
    async (request, reply) => {
      const job = findJob(request, reply);
      return job ? jobView(job) : reply;
    },
  );

  app.get<{ Params: { id: string; kind: string } }>(
    '/api/jobs/:id/files/:kind',
    {
      schema: {
        summary: 'Download a result: csv (the QSD301 file), report.json or report.html',
        params: { type: 'object', properties: { id: { type: 'string' }, kind: { type: 'string', enum: ['csv', 'report.json', 'report.html'] } } },
      },
    },
    async (request, reply) => {
      const job = findJob(request, reply);
      if (!job) return reply;
      const kind = request.params.kind as ResultKind;
      const file = job.files[kind];
      if (!file) return reply.code(404).send({ error: job.status === 'done' ? `Deze taak heeft geen ${kind}.` : 'De taak is nog niet klaar.' });
      const size = (await stat(file)).size;
      const type = kind === 'csv' ? 'text/csv; charset=us-ascii' : kind === 'report.json' ? 'application/json' : 'text/html; charset=utf-8';
      reply.header('Content-Type', type).header('Content-Length', size).header('Content-Disposition', `attachment; filename="${path.basename(file)}"`);
      reply.raw.on('finish', () => void store.fetched(job, kind));
      return reply.send(createReadStream(file));
    },
  );

  app.delete<{ Params: { id: string } }>('/api/jobs/:id', { schema: { summary: 'Remove a job and its files now' } }, async (request, reply) => {
    const job = findJob(request, reply);
    if (!job) return reply;
    await store.remove(job);
    return reply.code(204).send();
  });

  await app.ready();
  return {
    app,
    store,
    async listen() {
      return app.listen({ host, port: options.port ?? 8080 });
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

