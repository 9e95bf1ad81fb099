#!/usr/bin/env node
/* tests/e2e/report.test.js — browser test of `qala report`: playwright-core drives
 * Debian's Chromium headless over the report file written by the qala binary.
 * It checks that the page makes no network request and logs no console error, that the
 * map and the heatmap render (SVG with shapes), that switching the language changes the
 * labels (and the number format), that a city's passport opens (by the map's API, the
 * select and the URL), that a CSV download carries the scoreboard's rows, and that the
 * data-quality section lists every finding with its CSV, translated. A second
 * report made with --sensitivity 50 draws the rank intervals beside the ranking (one bar
 * per ranked unit), translated, with their CSV; the first says it has none.
 * Nothing is skipped: a missing chromium or playwright-core fails the test (scripts/setup
 * installs both).
 * Usage: report.test.js QALA_BINARY   (run by ctest as e2e/report)
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const here = __dirname;
const web = path.join(here, '..', '..', 'web');
let chromium;
try {
  ({ chromium } = require(path.join(web, 'node_modules', 'playwright-core')));
} catch (e) {
  console.error('FAIL: playwright-core is missing in web/node_modules: run scripts/setup');
  process.exit(1);
}
const CHROMIUM = process.env.QALA_CHROMIUM || '/usr/bin/chromium';
const qala = process.argv[2];
if (!qala) { console.error('usage: report.test.js QALA_BINARY'); process.exit(2); }
if (!fs.existsSync(CHROMIUM)) { console.error(`FAIL: ${CHROMIUM} is missing: run scripts/setup`); process.exit(1); }

let failures = 0, checks = 0;
function check(cond, what) {
  checks++;
  if (cond) console.log('ok - ' + what);
  else { failures++; console.log('not ok - ' + what); }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qala-e2e-'));
  const file = path.join(dir, 'report.html');
  /* the embedded demo statistics (no database in dir), typology as of 2024-01-01 */
  execFileSync(qala, ['report', '--db', path.join(dir, 'none.db'), '--out', file, '--at', '2024-01-01', '--lang', 'en'],
               { stdio: 'inherit', env: { ...process.env, LANG: 'C' } });
  check(fs.statSync(file).size > 500000, 'report.html written with ECharts inlined');

  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync']
  });
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const requests = [], errors = [];
    page.on('request', r => { if (!r.url().startsWith('file://') && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) requests.push(r.url()); });
    page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', e => errors.push(String(e)));
    await page.goto('file://' + file);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });

    /* the map: an SVG with the region outlines (paths) and the cities (points) */
    const mapPaths = await page.locator('#map svg path').count();
    check(mapPaths >= 17 + 40, `the map renders as SVG: ${mapPaths} paths (17 outlines and the city points)`);
    check(await page.locator('#typology .note').innerText().then(s => /pre-2018/.test(s)), 'the map says its boundaries are pre-2018');
    /* the heatmap: one cell per unit × threshold */
    const cells = await page.locator('#heatmap svg path').count();
    check(cells > 100, `the scoreboard heatmap renders as SVG: ${cells} shapes`);
    const heatText = await page.locator('#heatmap svg').textContent();
    check(/[●▲✖]/.test(heatText), 'the heatmap carries a zone symbol in the cells');
    check(/Figure 1/.test(await page.locator('#typology').innerText()), 'Figure 1 in English');
    check(/Temirtau/.test(await page.locator('#typology').innerText()), 'Table 1 lists Temirtau');
    check(await page.locator('#index table tbody tr').count() > 5, 'the index ranking table has rows');
    check(await page.locator('#inequality svg').count() >= 2, 'differentiation charts render');

    /* language switch: Russian labels and Russian number format (decimal comma) */
    await page.click('button.lang[data-lang="ru"]');
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    const ruTitle = await page.locator('#typology h3').first().innerText();
    check(/Рисунок 1/.test(ruTitle), `switched to Russian: "${ruTitle}"`);
    check(/Темиртау/.test(await page.locator('#typology').innerText()), 'unit names in Russian');
    const ruNums = await page.locator('#index table tbody tr td.num').nth(1).innerText();
    check(/^\d+(,\d)?$/.test(ruNums.replace(/\s/g, '')), `numbers in the Russian format: "${ruNums}"`);
    await page.click('button.lang[data-lang="kk"]');
    await page.waitForFunction(() => document.documentElement.lang === 'kk');
    check(/1-сурет/.test(await page.locator('#typology h3').first().innerText()), 'switched to Kazakh');
    const kkNums = await page.locator('#index table tbody tr td.num').nth(1).innerText();
    check(/^\d+(,\d)?$/.test(kkNums.replace(/\s/g, '')), `numbers in the Kazakh format (decimal comma): "${kkNums}"`);
    check(await page.locator('#map svg path').count() >= 57, 'the map is drawn again after the switch');

    /* a city's passport: through the select, then through the URL */
    await page.selectOption('#passport-select', 'KZ-TEMIRTAU');
    await page.waitForSelector('.passport[data-unit="KZ-TEMIRTAU"]');
    const passport = await page.locator('.passport').innerText();
    check(/Теміртау|Темиртау/.test(passport), 'the passport of Temirtau opens');
    check(/Қарағанды/.test(passport), 'the passport shows the region history (Karaganda region)');
    check(await page.locator('#passport-series svg').count() === 1, 'the passport draws its series');
    await page.evaluate(() => { location.hash = '#passport/KZ-ZHANAOZEN'; });
    await page.waitForSelector('.passport[data-unit="KZ-ZHANAOZEN"]');
    check(true, 'a passport opens from the URL (#passport/KZ-ZHANAOZEN)');

    /* a CSV download: the scoreboard's data */
    await page.click('button.lang[data-lang="en"]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#scoreboard [data-download]')]);
    const csvPath = path.join(dir, download.suggestedFilename());
    await download.saveAs(csvPath);
    const csv = fs.readFileSync(csvPath, 'utf8').replace(/^\ufeff/, '').split(/\r\n/).filter(Boolean);
    check(/^scoreboard_\d{4}\.csv$/.test(download.suggestedFilename()), `download named ${download.suggestedFilename()}`);
    check(csv[0].startsWith('unit,unit_name,indicator,transform,value'), 'the CSV has its header');
    check(csv.length > 100, `the CSV has the scoreboard's rows (${csv.length - 1})`);

    /* the data-quality section: the checks' counts, every finding listed, its CSV */
    const quality = await page.evaluate(() => window.QALA_DATA.quality);
    check(quality && quality.rules.length === 7, `the data carry the quality object (7 checks)`);
    const qRows = await page.locator('#quality table.quality tbody tr').count();
    check(quality && qRows === quality.shown && qRows > 0, `the quality section lists every finding (${qRows} / ${quality && quality.shown})`);
    check(await page.locator('#quality tbody tr[title]').first().getAttribute('title').then(t => t.length > 20),
          'a finding row carries its full message');
    const [qDl] = await Promise.all([page.waitForEvent('download'), page.click('#quality [data-download="quality"]')]);
    const qPath = path.join(dir, qDl.suggestedFilename());
    await qDl.saveAs(qPath);
    const qCsv = fs.readFileSync(qPath, 'utf8').replace(/^\ufeff/, '').split(/\r\n/).filter(Boolean);
    check(qDl.suggestedFilename() === 'data_quality.csv' && qCsv[0].startsWith('unit,unit_name,indicator,period,rule,severity') &&
          qCsv.length === qRows + 1, `the quality CSV has a row per finding (${qCsv.length - 1})`);
    await page.click('button.lang[data-lang="kk"]');
    check(/Деректер сапасы/.test(await page.locator('#quality h2').innerText()), 'the quality section in Kazakh');
    await page.click('button.lang[data-lang="en"]');

    /* print: the print stylesheet hides the navigation */
    await page.emulateMedia({ media: 'print' });
    check(await page.locator('header#top').isHidden(), 'print hides the header and navigation');
    await page.emulateMedia({ media: 'screen' });

    check(await page.locator('#index-intervals').count() === 0, 'without --sensitivity: no interval chart');

    /* a report with rank intervals: qala report --sensitivity 50 (seed 3) */
    const sensFile = path.join(dir, 'report-sens.html');
    execFileSync(qala, ['report', '--db', path.join(dir, 'none.db'), '--out', sensFile, '--at', '2024-01-01', '--lang', 'en',
                        '--sensitivity', '50', '--seed', '3'], { stdio: 'inherit', env: { ...process.env, LANG: 'C' } });
    await page.goto('file://' + sensFile);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
    const ranked = await page.locator('#index table tbody tr').count();
    const sens = await page.evaluate(() => window.QALA_DATA.index.sensitivity);
    check(sens && sens.runs === 50 && sens.seed === 3, 'the data carry the sensitivity object (50 runs, seed 3)');
    check(sens && sens.units.length === ranked, `one interval per ranked unit (${sens && sens.units.length} / ${ranked})`);
    /* the custom series draws three lines per unit (the bar and its two caps), the
       scatter series a point per unit each: at least 5 shapes per unit */
    const shapes = await page.locator('#index-intervals svg path').count();
    check(shapes >= 5 * ranked, `the interval chart renders as SVG: ${shapes} shapes for ${ranked} units`);
    const intervalText = await page.locator('#index-intervals svg').textContent();
    check(/5–95% interval/.test(intervalText) && /Median rank/.test(intervalText), 'the interval chart has its legend in English');
    check(/50 runs, seed 3/.test(await page.locator('#index .note').first().innerText()), 'the note gives the runs and the seed');
    check(/Random seed of the rank intervals: 3/.test(await page.locator('#methodology').innerText()), 'the methodology records the seed');
    const [sensDl] = await Promise.all([page.waitForEvent('download'), page.click('#index [data-download="intervals"]')]);
    const sensCsvPath = path.join(dir, sensDl.suggestedFilename());
    await sensDl.saveAs(sensCsvPath);
    const sensCsv = fs.readFileSync(sensCsvPath, 'utf8').replace(/^\ufeff/, '').split(/\r\n/).filter(Boolean);
    check(/^rank_intervals_city-development_\d{4}\.csv$/.test(sensDl.suggestedFilename()), `interval download named ${sensDl.suggestedFilename()}`);
    check(sensCsv[0] === 'unit,name,nominal,median,q05,q95,mean_abs_shift,runs,seed' && sensCsv.length === ranked + 1,
          `the interval CSV has its header and a row per unit (${sensCsv.length - 1})`);
    await page.click('button.lang[data-lang="ru"]');
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    check(/Медианное место/.test(await page.locator('#index-intervals svg').textContent()), 'the interval chart in Russian');
    check(await page.locator('#index-intervals svg path').count() >= 5 * ranked, 'the interval chart is drawn again after the switch');
    await page.click('button.lang[data-lang="kk"]');
    await page.waitForFunction(() => document.documentElement.lang === 'kk');
    check(/Медиана орны/.test(await page.locator('#index-intervals svg').textContent()), 'the interval chart in Kazakh');

    check(requests.length === 0, `no network request (${requests.join(', ') || 'none'})`);
    check(errors.length === 0, `no console error (${errors.join(' | ') || 'none'})`);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => {
  console.log(`${checks - failures}/${checks} checks passed`);
  process.exit(failures ? 1 : 0);
}).catch(e => { console.error('FAIL: ' + (e && e.stack || e)); process.exit(1); });
