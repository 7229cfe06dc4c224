import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebApp, type WebApp } from './index.js';

// API tests against a real server on 127.0.0.1 (a random free port), through fetch.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sample = path.join(root, 'test-fixtures/scenarios/hoorn-2023');
const expected = readFileSync(path.join(sample, 'WMO_0405_2023_20240115_01.csv'));
const fixture = (name: string) => path.join(root, 'test-fixtures', name);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (response: Response): Promise<any> => response.json();

let running: WebApp[] = [];
afterEach(async () => {
  for (const web of running) await web.close();
  running = [];
});

async function start(options: Parameters<typeof createWebApp>[0] = {}): Promise<{ url: string; web: WebApp; workDir: string }> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'wmo-web-test-'));
  const web = await createWebApp({ port: 0, workDir, ...options });
  running.push(web);
  const url = await web.listen();
  return { url, web, workDir };
}

function upload(files: Record<string, string[]>, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries({ gemeente: '0405', jaar: '2023', aanleverdatum: '2024-01-15', codelijst: 'hoorn', ...fields })) form.append(name, value);
  for (const [field, paths] of Object.entries(files)) for (const p of paths) form.append(field, new Blob([readFileSync(p)]), path.basename(p));
  return form;
}

const sampleFiles = () => ({
  declaraties: [fixture('web/hoorn-2023-declarations.zip')],
  clienten: [path.join(sample, 'clients.csv')],
  adressen: [fixture('cbs/pc6hnr20240801_gwb-sample.csv')],
});

async function waitFor(url: string, id: string, headers: Record<string, string> = {}): Promise<{ status: string; error?: string; passed?: boolean; files: { kind: string; url: string }[] }> {
  for (let i = 0; i < 200; i++) {
    const job = await json(await fetch(`${url}/api/jobs/${id}`, { headers }));
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

describe('web API', () => {
  it('answers /health and serves its OpenAPI description', async () => {
    const { url } = await start();
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const openapi = await json(await fetch(`${url}/openapi.json`));
    expect(openapi.openapi).toBe('3.0.3');
    expect(Object.keys(openapi.paths).sort()).toEqual(['/api/jobs', '/api/jobs/{id}', '/api/jobs/{id}/files/{kind}', '/health']);
  });

  it('makes the delivery from a zip upload, byte-identical to the expected file, and removes the job folder once the results are fetched', async () => {
    const { url, workDir } = await start();
    const response = await fetch(`${url}/api/jobs`, { method: 'POST', body: upload(sampleFiles()) });
    expect(response.status).toBe(202);
    const { id } = await json(response);
    const job = await waitFor(url, id);
    expect(job.status).toBe('done');
    expect(job.passed).toBe(true);
    // the uploads (with BSNs) are gone as soon as the job has run
    expect(readdirSync(path.join(workDir, id))).toEqual(['output']);
    const csv = await fetch(`${url}/api/jobs/${id}/files/csv`);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="WMO_0405_2023_20240115_01.csv"');
    expect(Buffer.from(await csv.arrayBuffer()).equals(expected)).toBe(true);
    await (await fetch(`${url}/api/jobs/${id}/files/report.json`)).arrayBuffer();
    await (await fetch(`${url}/api/jobs/${id}/files/report.html`)).arrayBuffer();
    await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(workDir)).toEqual([]);
    expect((await fetch(`${url}/api/jobs/${id}`)).status).toBe(404);
  });

  it('runs two jobs at once', async () => {
    const { url } = await start();
    const [a, b] = await Promise.all([
      fetch(`${url}/api/jobs`, { method: 'POST', body: upload(sampleFiles()) }).then(json),
      fetch(`${url}/api/jobs`, { method: 'POST', body: upload(sampleFiles(), { dialect: 'field-table' }) }).then(json),
    ]);
    const [jobA, jobB] = await Promise.all([waitFor(url, a.id), waitFor(url, b.id)]);
    expect([jobA.status, jobB.status]).toEqual(['done', 'done']);
    const csvA = Buffer.from(await (await fetch(`${url}/api/jobs/${a.id}/files/csv`)).arrayBuffer());
    const csvB = (await (await fetch(`${url}/api/jobs/${b.id}/files/csv`)).text()).split('\r\n');
    expect(csvA.equals(expected)).toBe(true);
    // the second asked for the field-table spelling; line 2: the total Wmo_tot of class 1 (2 clients, €1,980)
    expect(csvB[1]).toBe('2023;0405;Hoorn;n.v.t.;Totaal;1;Wmo_tot;2;1980');
  });

  it('refuses a truncated zip with 400 and one sentence, and keeps nothing', async () => {
    const { url, workDir } = await start();
    const response = await fetch(`${url}/api/jobs`, { method: 'POST', body: upload({ ...sampleFiles(), declaraties: [fixture('web/truncated.zip')] }) });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatch(/^The zip file truncated\.zip cannot be read \(.*\); it may be cut off\.$/);
    expect(readdirSync(workDir)).toEqual([]);
  });

  it('refuses a zip entry with .. (zip slip)', async () => {
    const { url, workDir } = await start();
    const response = await fetch(`${url}/api/jobs`, { method: 'POST', body: upload({ ...sampleFiles(), declaraties: [fixture('web/zip-slip.zip')] }) });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toBe('The zip entry "../../etc/evil.xml" is refused: it points outside the zip (.. or an absolute path).');
    expect(readdirSync(workDir)).toEqual([]);
  });

  it('reports a file that is not XML as a failed job with the reason', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/api/jobs`, { method: 'POST', body: upload({ ...sampleFiles(), declaraties: [fixture('iwmo/broken/not-xml.xml')] }) });
    expect(response.status).toBe(202);
    const job = await waitFor(url, (await json(response)).id);
    expect(job.status).toBe('failed');
    expect(job.error).toBe('declaraties/not-xml.xml is not an XML file: it does not start with an XML element.');
  });

  it('refuses an upload over the limit with 413', async () => {
    const { url, workDir } = await start({ maxUploadBytes: 20_000 });
    const response = await fetch(`${url}/api/jobs`, { method: 'POST', body: upload(sampleFiles()) });
    expect(response.status).toBe(413);
    expect((await json(response)).error).toBe('The upload is larger than the limit of 0 MB.'.replace('0 MB', `${Math.round(20_000 / 1e6)} MB`));
    expect(readdirSync(workDir)).toEqual([]);
  });

  it('demands the token when one is set, and refuses to listen elsewhere without one', async () => {
    const { url } = await start({ token: 'a-long-secret-token-for-tests' });
    expect((await fetch(`${url}/api/jobs/x`)).status).toBe(401);
    expect((await fetch(`${url}/api/jobs/x`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/api/jobs/x`, { headers: { Authorization: 'Bearer a-long-secret-token-for-tests' } })).status).toBe(404);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    await expect(createWebApp({ host: '0.0.0.0', port: 0 })).rejects.toThrow(/set WMO_TOKEN/);
  });

  it('removes every job folder on shutdown', async () => {
    const { url, web, workDir } = await start();
    const { id } = await json(await fetch(`${url}/api/jobs`, { method: 'POST', body: upload(sampleFiles()) }));
    await waitFor(url, id);
    expect(readdirSync(workDir)).toEqual([id]);
    await web.close();
    running = running.filter((w) => w !== web);
    expect(() => readdirSync(workDir)).toThrow();
  });
});
