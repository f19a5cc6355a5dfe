// SPDX-License-Identifier: Apache-2.0
// Opens an itsim report in Debian's headless Chromium (playwright-core, no browser
// download) and checks it: no console error, no request at all (the page is
// self-contained), every chart rendered as a non-empty SVG, the expected number of charts.
// Writes the numbers printed in the KPI table (their data attributes) as JSON for
// compare_numbers.py, a screenshot of the first page and the PDF.
// usage: node report_page.mjs REPORT.html EXPECTED_CHARTS CELLS.json SHOT.png PAGE.pdf [WHOLE.png]
// (WHOLE.png: a screenshot of the whole page, charts included)
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [html, expected, cellsOut, shot, pdf, whole] = process.argv.slice(2);
const failures = [];
const browser = await chromium.launch({
  executablePath: process.env.ITSIM_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  page.on('console', (m) => { if (m.type() === 'error') failures.push('console error: ' + m.text()); });
  page.on('pageerror', (e) => failures.push('uncaught: ' + e.message));
  const url = pathToFileURL(html).href;
  page.on('request', (r) => { if (r.url() !== url) failures.push('request: ' + r.url()); });
  page.on('requestfailed', (r) => failures.push('failed request: ' + r.url()));
  await page.goto(url);
  await page.waitForSelector('body[data-charts-rendered]', { timeout: 60000 });
  const rendered = await page.getAttribute('body', 'data-charts-rendered');
  const declared = await page.getAttribute('body', 'data-charts-expected');
  if (rendered !== expected || declared !== expected)
    failures.push(`charts: expected ${expected}, page declares ${declared}, rendered ${rendered}`);
  const charts = await page.$$eval('section.chart', (ss) => ss.map((s) => {
    const svg = s.querySelector('.vis svg');
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    return { id: s.dataset.chart, marks: svg ? svg.querySelectorAll('path,line,rect,circle').length : 0,
             width: box.width, height: box.height };
  }));
  if (String(charts.length) !== expected) failures.push(`${charts.length} chart sections, expected ${expected}`);
  for (const c of charts)
    if (c.marks < 5 || c.width < 100 || c.height < 50) failures.push(`chart ${c.id} is empty: ${JSON.stringify(c)}`);
  const cells = await page.$$eval('td[data-kpi]', (tds) => tds.map((td) => ({ ...td.dataset, text: td.innerText })));
  const answer = await page.$eval('[data-answer-diff]', (e) => e.dataset.answerDiff).catch(() => null);
  writeFileSync(cellsOut, JSON.stringify({ cells, answer, charts }, null, 1));
  await page.screenshot({ path: shot });
  if (whole) await page.screenshot({ path: whole, fullPage: true });
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
} finally {
  await browser.close();
}
if (failures.length) {
  for (const f of failures) console.log('FAIL ' + f);
  process.exit(1);
}
console.log(`report_page: ${expected} charts rendered, no console error, no request`);
