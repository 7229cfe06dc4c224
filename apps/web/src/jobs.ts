import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { WmoError } from '@wmo-toolkit/core';
import { deliver, type DeliverHooks, type DeliverRequest, type Progress } from '@wmo-toolkit/pipeline';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';
export type ResultKind = 'csv' | 'report.json' | 'report.html';

export interface Job {
  id: string;
  status: JobStatus;
  dir: string;
  inputDir: string;
  outputDir: string;
  createdAt: number;
  progress: Progress;
  error?: string;
  passed?: boolean;
  files: Partial<Record<ResultKind, string>>;
  fetched: Set<ResultKind>;
}

export interface JobStoreOptions {
  workDir: string;
  /** Remove a job's folder this long after it finished, fetched or not. */
  ttlMs: number;
  /** Jobs that run at once; the others wait (2 cores). */
  concurrency: number;
  hooks?: Pick<DeliverHooks, 'declarationSources' | 'codeLists'>;
}

/**
 * The jobs of one server. Person data (the uploads) live only in the job's folder under
 * `workDir`: the inputs are removed as soon as the job has run, the whole folder once every
 * result has been fetched, after `ttlMs`, or on shutdown.
 */
export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: JobStoreOptions) {
    this.timer = setInterval(() => void this.expire(), Math.min(60_000, Math.max(1000, options.ttlMs / 4)));
    this.timer.unref();
  }

  async create(): Promise<Job> {
    const id = randomUUID();
    const dir = path.join(this.options.workDir, id);
    const job: Job = {
      id,
      status: 'queued',
      dir,
      inputDir: path.join(dir, 'input'),
      outputDir: path.join(dir, 'output'),
      createdAt: Date.now(),
      progress: { files: 0, bytes: 0, performances: 0, elapsedSeconds: 0 },
      files: {},
      fetched: new Set(),
    };
    await mkdir(job.inputDir, { recursive: true });
    this.jobs.set(id, job);
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Runs the delivery of a job in the background (at most `concurrency` at once). */
  start(job: Job, request: Omit<DeliverRequest, 'out'>): void {
    void this.run(job, request);
  }

  private async run(job: Job, request: Omit<DeliverRequest, 'out'>): Promise<void> {
    if (this.running >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    job.status = 'running';
    let outcome: Pick<Job, 'status' | 'error' | 'passed' | 'files'>;
    try {
      const result = await deliver({ ...request, out: job.outputDir }, { ...this.options.hooks, onProgress: (p) => (job.progress = p) });
      const files: Job['files'] = { 'report.json': result.files.reportJson, 'report.html': result.files.reportHtml };
      if (result.files.csv) files.csv = result.files.csv;
      outcome = { status: 'done', passed: result.delivery.passed, files };
    } catch (error) {
      // Messages name the uploaded file as the user knows it, not the server's folder.
      const error_ = WmoError.isInstance(error) ? error.message.replaceAll(job.inputDir + path.sep, '') : 'unexpected error while making the delivery';
      outcome = { status: 'failed', error: error_, files: {} };
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
    // The uploads hold BSNs: they go before anyone learns that the job has finished.
    await rm(job.inputDir, { recursive: true, force: true }).catch(() => undefined);
    job.progress.elapsedSeconds = (Date.now() - job.createdAt) / 1000;
    Object.assign(job, outcome);
  }

  /** Notes that a result was fetched; when all are, the job's folder goes. */
  async fetched(job: Job, kind: ResultKind): Promise<void> {
    job.fetched.add(kind);
    const all = (Object.keys(job.files) as ResultKind[]).every((k) => job.fetched.has(k));
    if (all) await this.remove(job);
  }

  async remove(job: Job): Promise<void> {
    this.jobs.delete(job.id);
    await rm(job.dir, { recursive: true, force: true });
  }

  private async expire(): Promise<void> {
    const now = Date.now();
    for (const job of [...this.jobs.values()]) {
      if ((job.status === 'done' || job.status === 'failed') && now - job.createdAt > this.options.ttlMs) await this.remove(job);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await rm(this.options.workDir, { recursive: true, force: true });
    this.jobs.clear();
  }
}
