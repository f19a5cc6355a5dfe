// SPDX-License-Identifier: Apache-2.0
// Drives `itsim serve`'s live page in Debian's headless Chromium (playwright-core): waits
// for the first comparison, moves the L1 headcount lever to VALUE, waits until the
// comparison is done and its charts drawn, checks that no console error occurred, that
// no request left 127.0.0.1, that the URL carries the lever and that reloading it brings
// the same state back; writes the KPI table's numbers (data attributes) as JSON for
// compare_numbers.py, the times to first numbers and to the full comparison, and a
// screenshot. usage: node serve_page.mjs URL LEVER VALUE CELLS.json SHOT.png
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const [url, lever, value, cellsOut, shot] = process.argv.slice(2);
const failures = [];
const browser = await chromium.launch({
  executablePath: process.env.ITSIM_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-proxy-server'],
});
const origin = new URL(url).origin;
async function doneJob(page, after) {
  await page.waitForFunction((prev) => document.body.dataset.state === 'done' &&
    document.body.dataset.job !== prev && document.body.dataset.chartsRendered !== undefined,
    after, { timeout: 120000 });
  return page.getAttribute('body', 'data-job');
}
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('console', (m) => { if (m.type() === 'error') failures.push('console error: ' + m.text()); });
  page.on('pageerror', (e) => failures.push('uncaught: ' + e.message));
  page.on('request', (r) => { if (!r.url().startsWith(origin)) failures.push('request: ' + r.url()); });
  page.on('requestfailed', (r) => failures.push('failed request: ' + r.url()));
  await page.goto(url);
  const first = await doneJob(page, '');
  // Move the lever: set the slider and fire its change event, as a person's drag ends.
  const t0 = Date.now();
  await page.$eval('#lever-' + lever, (e, v) => { e.value = v; e.dispatchEvent(new Event('input'));
    e.dispatchEvent(new Event('change')); }, value);
  await page.waitForFunction((prev) => document.body.dataset.job !== prev &&
    Number(document.body.dataset.replications || 0) > 0, first, { timeout: 60000 });
  const firstNumbers = (Date.now() - t0) / 1000;
  const job = await doneJob(page, first);
  const full = (Date.now() - t0) / 1000;
  if (!page.url().includes(lever + '=' + value)) failures.push('URL lacks the lever: ' + page.url());
  const charts = await page.$$eval('section.chart', (ss) => ss.map((s) => {
    const svg = s.querySelector('.vis svg');
    return { id: s.dataset.chart, marks: svg ? svg.querySelectorAll('path,line,rect,circle').length : 0 };
  }));
  if (charts.length < 3) failures.push(`only ${charts.length} charts`);
  for (const c of charts) if (c.marks < 5) failures.push(`chart ${c.id} is empty`);
  const cells = await page.$$eval('td[data-kpi]', (tds) => tds.map((td) => ({ ...td.dataset, text: td.innerText })));
  const answer = await page.$eval('[data-answer-diff]', (e) => e.dataset.answerDiff).catch(() => null);
  await page.screenshot({ path: shot });
  // Reload the URL: the lever comes back and so do the numbers (the same comparison).
  await page.reload();
  await doneJob(page, '');
  const again = await page.$eval('#lever-' + lever, (e) => e.value);
  if (again !== value) failures.push(`after a reload the lever reads ${again}, not ${value}`);
  const cells2 = await page.$$eval('td[data-kpi]', (tds) => tds.map((td) => td.dataset.mean));
  if (JSON.stringify(cells2) !== JSON.stringify(cells.map((c) => c.mean)))
    failures.push('after a reload the numbers differ');
  writeFileSync(cellsOut, JSON.stringify({ cells, answer, charts, firstNumbers, full, job }, null, 1));
  console.log(`serve_page: first numbers ${firstNumbers.toFixed(2)} s, full comparison ${full.toFixed(2)} s after the lever moved`);
} finally {
  await browser.close();
}
if (failures.length) {
  for (const f of failures) console.log('FAIL ' + f);
  process.exit(1);
}
console.log('serve_page: lever moved, comparison done, charts drawn, no console error');
