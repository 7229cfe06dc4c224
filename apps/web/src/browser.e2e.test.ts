import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createWebApp } from './index.js';

// The page in Debian's headless Chromium, driven with playwright-core (no browser download).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sample = path.join(root, 'test-fixtures/scenarios/hoorn-2023');
// the CLI writes exactly this file for the same input (apps/cli end-to-end tests)
const expected = readFileSync(path.join(sample, 'WMO_0405_2023_20240115_01.csv'));

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('the web page', () => {
  it('uploads the bundled sample, shows the report and downloads the same QSD301 file as the CLI', async () => {
    const { chromium } = await import('playwright-core');
    const workDir = await mkdtemp(path.join(tmpdir(), 'wmo-web-e2e-'));
    const web = await createWebApp({ port: 0, workDir });
    const url = await web.listen();
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(url);
      expect(await page.title()).toBe('Gemeentezorgspiegel-levering maken');
      // fill the form as a person would, by its Dutch labels
      await page.getByLabel('Gemeentecode (CBS)').fill('0405');
      await page.getByLabel('Rapportagejaar').fill('2023');
      await page.getByLabel('Aanleverdatum').fill('2024-01-15');
      await page.getByLabel('Productcodelijst').selectOption('hoorn');
      await page.getByLabel(/iWmo-berichten/).setInputFiles(allFiles(path.join(sample, 'declarations')));
      await page.getByLabel(/Cliëntenregister/).setInputFiles(path.join(sample, 'clients.csv'));
      await page.getByLabel(/postcode-huisnummertabel/).setInputFiles(path.join(root, 'test-fixtures/cbs/pc6hnr20240801_gwb-sample.csv'));
      // submit with the keyboard
      await page.getByRole('button', { name: 'Levering maken' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(async () => page.locator('#status').innerText(), { timeout: 30_000 }).toMatch(/^Klaar: alle controles zijn in orde/);
      // the report is shown in the page
      const report = page.frameLocator('#rapport');
      await expect.poll(async () => report.locator('h1').innerText()).toBe('Kwaliteitsrapport Gemeentezorgspiegel 2023 — Hoorn (0405)');
      // download the QSD301 file
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-kind="csv"]').click()]);
      expect(download.suggestedFilename()).toBe('WMO_0405_2023_20240115_01.csv');
      const saved = path.join(workDir, '..', `downloaded-${Date.now()}.csv`);
      await download.saveAs(saved);
      expect(readFileSync(saved).equals(expected)).toBe(true);
      expect(errors).toEqual([]);
      mkdirSync(path.join(root, 'test-results'), { recursive: true });
      await page.screenshot({ path: path.join(root, 'test-results/web-report.png'), fullPage: true });
    } finally {
      await browser.close();
      await web.close();
    }
  }, 60_000);
});
