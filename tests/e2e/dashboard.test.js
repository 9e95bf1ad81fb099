#!/usr/bin/env node
/* tests/e2e/dashboard.test.js — browser test of the live dashboard: `qala serve` on a
 * temporary demo database (qala demo), the page it serves at / opened in Debian's
 * Chromium headless through playwright-core.
 * It checks that the page is the embedded front end fed by GET api/report (no request
 * leaves the server's origin), that the map and the heatmap render, that the language
 * switch, a passport and a CSV download work served, that the Upload section exists only
 * when served, that an upload without a token is refused (401 shown, nothing stored:
 * checked through /api/observations) and with a token (`qala token create`) is stored
 * (the page shows the counts and the new batch), that a note saved from a passport
 * appears in it (and in `qala report`'s offline file, which has neither form), and that
 * SIGTERM stops the server with exit status 0.
 * A file with errors shows its findings and stores nothing either.
 * Console errors: none at all until the first refused request; after it, only Chromium's
 * "Failed to load resource … 401/422" lines for the requests the test makes to be refused.
 * Nothing is skipped: a missing chromium or playwright-core fails the test.
 * Usage: dashboard.test.js QALA_BINARY   (run by ctest as e2e/dashboard)
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawn } = require('child_process');

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
if (!qala) { console.error('usage: dashboard.test.js QALA_BINARY'); process.exit(2); }
if (!fs.existsSync(CHROMIUM)) { console.error(`FAIL: ${CHROMIUM} is missing: run scripts/setup`); process.exit(1); }

let failures = 0, checks = 0;
function check(cond, what) {
  checks++;
  if (cond) console.log('ok - ' + what);
  else { failures++; console.log('not ok - ' + what); }
}

const env = { ...process.env, LANG: 'C' };

/* Starts `qala serve` on a free port; resolves with {proc, base, stderr()} once it has
   printed its address. */
function startServer(db, log) {
  return new Promise((resolve, reject) => {
    const proc = spawn(qala, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--access-log', log, '--threads', '2'],
                       { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => reject(new Error('the server did not start: ' + out + err)), 30000);
    proc.stderr.on('data', d => { err += d; });
    proc.stdout.on('data', d => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) { clearTimeout(timer); resolve({ proc, base: m[1], stderr: () => err, stdout: () => out }); }
    });
    proc.on('exit', code => { clearTimeout(timer); reject(new Error(`the server exited (${code}): ${out}${err}`)); });
  });
}

async function getJson(url) {
  const r = await fetch(url);
  return { status: r.status, body: await r.json() };
}

/* the observations of the test's uploaded cell */
const CELL = 'unit=KZ-TEMIRTAU&indicator=unemployment_ilo_pct&from=2031&to=2031';
const CSV = 'unit,indicator,period,value\nKZ-TEMIRTAU,unemployment_ilo_pct,2031,4.7\n';

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qala-dash-'));
  const db = path.join(dir, 'demo.db');
  execFileSync(qala, ['demo', '--db', db], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const token = execFileSync(qala, ['token', 'create', '--name', 'e2e', '--db', db], { env }).toString().trim();
  check(/^[0-9a-f]{64}$/.test(token), 'qala token create prints a token');
  const upload = path.join(dir, 'tem2031.csv');
  fs.writeFileSync(upload, CSV);

  const srv = await startServer(db, path.join(dir, 'access.log'));
  let exited = null;
  const exit = new Promise(resolve => srv.proc.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync']
  });
  try {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const foreign = [], errors = [], pageErrors = [], requests = [];
    let refusing = false; /* from the first request made to be refused on */
    page.on('request', r => {
      const u = r.url();
      requests.push(u);
      if (!u.startsWith(srv.base + '/') && !u.startsWith('blob:') && !u.startsWith('data:')) foreign.push(u);
    });
    page.on('console', m => {
      if (m.type() !== 'error') return;
      if (refusing && /Failed to load resource: the server responded with a status of (401|422)/.test(m.text())) return;
      errors.push(m.text());
    });
    page.on('pageerror', e => pageErrors.push(String(e)));

    await page.goto(srv.base + '/');
    await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
    check(requests.some(u => u === srv.base + '/api/report'), 'the page fetched its data from api/report');
    check(requests.some(u => u === srv.base + '/echarts.min.js') && requests.some(u => u === srv.base + '/app.js'),
          'ECharts and app.js come from the server (the embedded front end)');

    /* the map and the heatmap, as in the offline report */
    const mapPaths = await page.locator('#map svg path').count();
    check(mapPaths >= 17 + 40, `the map renders as SVG: ${mapPaths} paths (17 outlines and the city points)`);
    const cells = await page.locator('#heatmap svg path').count();
    check(cells > 100, `the scoreboard heatmap renders as SVG: ${cells} shapes`);
    check(/[●▲✖]/.test(await page.locator('#heatmap svg').textContent()), 'the heatmap carries zone symbols');
    check(/data: database/.test(await page.locator('p.meta').innerText()), 'the page says its data come from the database');
    const qualityRows = await page.locator('#quality table tbody tr').count();
    check(qualityRows >= 7, `the data-quality section is served with the database's checks (${qualityRows} rows)`);

    /* served only: the Upload section and its link */
    check(await page.locator('section#upload').isVisible(), 'the Upload section is shown when served');
    check(await page.locator('nav#nav a[href="#upload"]').count() === 1, 'the navigation links to Upload');
    check(await page.locator('#upload-token[type="password"]').count() === 1, 'the upload form has a token field');

    /* language switch */
    await page.click('button.lang[data-lang="ru"]');
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    check(/Рисунок 1/.test(await page.locator('#typology h3').first().innerText()), 'switched to Russian');
    check(/Загрузка/.test(await page.locator('#upload h2').innerText()), 'the Upload section in Russian');
    await page.click('button.lang[data-lang="kk"]');
    await page.waitForFunction(() => document.documentElement.lang === 'kk');
    check(/1-сурет/.test(await page.locator('#typology h3').first().innerText()), 'switched to Kazakh');
    check(await page.locator('#map svg path').count() >= 57, 'the map is drawn again after the switch');
    await page.click('button.lang[data-lang="en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');

    /* a city's passport, with the note form of the dashboard */
    await page.selectOption('#passport-select', 'KZ-TEMIRTAU');
    await page.waitForSelector('.passport[data-unit="KZ-TEMIRTAU"]');
    const passport = await page.locator('.passport').innerText();
    check(/Temirtau/.test(passport) && /Karaganda/.test(passport), 'the passport of Temirtau opens (Karaganda region)');
    check(await page.locator('#passport-series svg').count() === 1, 'the passport draws its series');
    check(await page.locator('#note-form[data-unit="KZ-TEMIRTAU"]').count() === 1, 'the passport has a note form when served');
    check(/#passport\/KZ-TEMIRTAU$/.test(page.url()), 'the URL names the passport');

    /* a CSV download, served */
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#scoreboard [data-download]')]);
    const csvPath = path.join(dir, download.suggestedFilename());
    await download.saveAs(csvPath);
    const rows = fs.readFileSync(csvPath, 'utf8').replace(/^\ufeff/, '').split(/\r\n/).filter(Boolean);
    check(rows[0].startsWith('unit,unit_name,indicator') && rows.length > 100, `the scoreboard CSV downloads (${rows.length - 1} rows)`);

    check(errors.length === 0, `no console error before the refused requests (${errors.join(' | ') || 'none'})`);

    /* upload without a token: refused, nothing stored */
    const before = await getJson(`${srv.base}/api/observations?${CELL}`);
    check(before.status === 200 && before.body.total === 0, 'the uploaded cell is not in the database before');
    refusing = true;
    await page.setInputFiles('#upload-file', upload);
    await page.fill('#upload-token', '');
    await page.click('#upload-form button[type="submit"]');
    await page.waitForSelector('#upload-result [data-status]');
    const refused = page.locator('#upload-result [data-status]');
    check(await refused.getAttribute('data-status') === '401', 'without a token the upload is answered 401');
    check(/401/.test(await refused.innerText()) && /token/.test(await refused.innerText()),
          `the page shows the refusal: "${await refused.innerText()}"`);
    const after401 = await getJson(`${srv.base}/api/observations?${CELL}`);
    check(after401.body.total === 0, 'nothing stored without a token (/api/observations)');

    /* with a token, a file with an error: its findings shown, nothing stored */
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'unit,indicator,period,value\nKZ-NOWHERE,unemployment_ilo_pct,2031,4.7\n');
    await page.fill('#upload-token', token);
    await page.setInputFiles('#upload-file', bad);
    await page.click('#upload-form button[type="submit"]');
    await page.waitForSelector('#upload-result [data-status="422"]');
    const findings = await page.locator('#upload-result table').last().innerText();
    check(/unknown-unit/.test(findings) && /KZ-NOWHERE/.test(findings), 'a file with errors: the findings are shown (unknown-unit)');
    check(await page.locator('#upload-result [data-stored="0"]').count() === 1 &&
          (await getJson(`${srv.base}/api/observations?${CELL}`)).body.total === 0, 'a file with errors stores nothing');

    /* with a token: stored, the counts shown, the data reloaded */
    await page.setInputFiles('#upload-file', upload);
    await page.click('#upload-form button[type="submit"]');
    await page.waitForSelector('#upload-result [data-status="200"][data-stored="1"]', { timeout: 60000 });
    const result = await page.locator('#upload-result').innerText();
    check(/tem2031\.csv: Stored as import batch \d+/.test(result), `the page says the file is stored: "${result.split('\n')[0]}"`);
    check(await page.locator('#upload-result tr[data-count="inserted"] td').innerText() === '1', 'the page shows 1 new observation');
    check(await page.locator('#upload-result tr[data-count="observations"] td').innerText() === '1', 'the page shows 1 observation read');
    check(await page.locator('#upload-result tr[data-count="errors"] td').innerText() === '0', 'the page shows 0 errors');
    const stored = await getJson(`${srv.base}/api/observations?${CELL}`);
    check(stored.body.total === 1 && stored.body.observations[0].value === 4.7, 'the upload is stored (/api/observations)');
    check(/tem2031\.csv/.test(await page.locator('#methodology').innerText()), 'the reloaded page lists the new import batch');
    check(await page.locator('#heatmap svg path').count() > 100, 'the heatmap is drawn again after the reload');

    /* a note on the passport: refused without a token, saved with one */
    await page.evaluate(() => window.qala.openPassport('KZ-TEMIRTAU'));
    await page.waitForSelector('#note-form[data-unit="KZ-TEMIRTAU"]');
    const period = await page.inputValue('#note-period');
    await page.fill('#note-token', '');
    await page.fill('#note-text', 'e2e: plant closure');
    await page.click('#note-form button[type="submit"]');
    await page.waitForSelector('#note-result[data-status="401"]');
    check(await page.inputValue('#note-text') === 'e2e: plant closure', 'a refused note keeps what was typed (401 shown)');
    await page.fill('#note-token', token);
    await page.selectOption('#note-verdict', 'watch');
    await page.click('#note-form button[type="submit"]');
    await page.waitForSelector('#note-result[data-status="201"]', { timeout: 60000 });
    const notes = await page.locator('.passport').innerText();
    check(/e2e: plant closure/.test(notes) && /watch/.test(notes), 'the saved note shows in the passport');
    const ann = await getJson(`${srv.base}/api/annotations?unit=KZ-TEMIRTAU`);
    check(ann.body.annotations.some(a => a.note === 'e2e: plant closure' && a.author === 'e2e' && a.period === period),
          `the note is stored with the token's name as author, period ${period} (/api/annotations)`);

    /* the offline report of the same database has neither form */
    const file = path.join(dir, 'report.html');
    execFileSync(qala, ['report', '--db', db, '--out', file], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const offline = await context.newPage();
    await offline.goto('file://' + file);
    await offline.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
    await offline.selectOption('#passport-select', 'KZ-TEMIRTAU');
    await offline.waitForSelector('.passport[data-unit="KZ-TEMIRTAU"]');
    check(await offline.locator('#upload, #upload-form, #note-form, nav#nav a[href="#upload"]').count() === 0,
          'the offline report has no Upload section and no note form');
    check(/e2e: plant closure/.test(await offline.locator('.passport').innerText()), 'the offline report shows the note stored from the dashboard');
    await offline.close();

    check(foreign.length === 0, `no request leaves the server's origin (${foreign.join(', ') || 'none'})`);
    check(errors.length === 0, `no other console error (${errors.join(' | ') || 'none'})`);
    check(pageErrors.length === 0, `no uncaught exception in the page (${pageErrors.join(' | ') || 'none'})`);
  } finally {
    await browser.close();
    if (!exited) srv.proc.kill('SIGTERM');
    const timeout = setTimeout(() => srv.proc.kill('SIGKILL'), 30000);
    await exit;
    clearTimeout(timeout);
    const err = srv.stderr();
    /* the server's own report (ctest fails on a sanitizer report in the output) */
    process.stdout.write(err.split('\n').filter(l => !/^\d{4}-\d\d-\d\dT/.test(l)).join('\n'));
    check(exited.code === 0 && exited.signal === null, `the server exits 0 after SIGTERM (${JSON.stringify(exited)})`);
    check(/SIGTERM: stopping/.test(err) && /stopped/.test(err), 'the server says it stopped');
    const log = fs.readFileSync(path.join(dir, 'access.log'), 'utf8');
    check(/"GET \/api\/report" 200 /.test(log) && /"POST \/api\/import" 401 /.test(log) && /"POST \/api\/import" 200 /.test(log),
          'the access log has the page load, the refused and the stored upload');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => {
  console.log(`${checks - failures}/${checks} checks passed`);
  process.exit(failures ? 1 : 0);
}).catch(e => { console.error('FAIL: ' + (e && e.stack || e)); process.exit(1); });
