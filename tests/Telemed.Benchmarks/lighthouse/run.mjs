// Lighthouse (the CLI of this folder's package) against the local Chromium on the patient's pages, in two profiles:
// Lighthouse's default mobile profile, and a rural 2G/EDGE phone (250 kbps, 300 ms round trips, 4x slower CPU).
// Each page and profile runs RUNS times; the median of each figure is printed and written to docs/benchmarks.md.
// node run.mjs BASE_URL RUNS DOCS_FILE
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, runsText, docs] = process.argv.slice(2);
const runs = Number(runsText);
const lighthouse = join(import.meta.dirname, 'node_modules', '.bin', 'lighthouse');
const work = mkdtempSync(join(tmpdir(), 'telemed-lighthouse-'));

const pages = [
  { name: 'Sign-in (the patient\'s first page)', path: '/' },
  // The page a prescription's QR code and SMS link open; an id no prescription has, so the page answers "not found".
  { name: 'Prescription check', path: '/verify/0193a000-0000-7000-8000-0000000000ff' },
];
const profiles = [
  { name: 'Lighthouse mobile (default)', flags: [] },
  {
    name: '2G: 250 kbps, 300 ms RTT, 4x CPU',
    flags: ['--throttling-method=simulate', '--throttling.rttMs=300', '--throttling.throughputKbps=250', '--throttling.cpuSlowdownMultiplier=4'],
  },
];

// Lighthouse now and then fails to record a load's trace (NO_NAVSTART) and says to run it again: a run is tried up to
// three times before the benchmark gives up.
function lighthouseReport(url, flags, file) {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(lighthouse, [url, '--quiet', '--only-categories=performance', '--chrome-flags=--headless=new --no-sandbox',
        '--output=json', `--output-path=${file}`, ...flags], { stdio: ['ignore', 'ignore', 'inherit'] });
      const report = JSON.parse(readFileSync(file, 'utf8'));
      if (report.runtimeError) throw new Error(`${url}: ${report.runtimeError.message}`);
      return report;
    } catch (error) {
      if (attempt === 3) throw error;
      console.error(`Lighthouse failed on ${url} (${error.message.split('\n')[0]}); running it again.`);
    }
  }
}

function measure(url, flags, file) {
  const report = lighthouseReport(url, flags, file);
  const audit = id => report.audits[id].numericValue;
  return {
    score: report.categories.performance.score * 100,
    fcp: audit('first-contentful-paint'), lcp: audit('largest-contentful-paint'), tti: audit('interactive'),
    tbt: audit('total-blocking-time'), cls: audit('cumulative-layout-shift'), si: audit('speed-index'),
    kib: audit('total-byte-weight') / 1024, requests: report.audits['network-requests'].details.items.length,
    benchmarkIndex: report.environment.benchmarkIndex, chrome: report.environment.hostUserAgent.match(/Chrome\/([\d.]+)/)?.[1],
  };
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = ms => (ms / 1000).toFixed(1);
const rows = [];
const loadBefore = loadavg()[0];
let benchmarkIndexes = [];
let chrome = '';
for (const page of pages) {
  for (const profile of profiles) {
    const results = [];
    for (let run = 0; run < runs; run++) results.push(measure(base + page.path, profile.flags, join(work, `${rows.length}-${run}.json`)));
    benchmarkIndexes = benchmarkIndexes.concat(results.map(result => result.benchmarkIndex));
    chrome = results[0].chrome;
    const m = key => median(results.map(result => result[key]));
    const scores = results.map(result => result.score);
    const row = `| ${page.name} | ${profile.name} | ${m('score').toFixed(0)} (${Math.min(...scores).toFixed(0)}–${Math.max(...scores).toFixed(0)}) | ${seconds(m('fcp'))} | ${seconds(m('lcp'))} | ${seconds(m('tti'))} | ${m('tbt').toFixed(0)} | ${m('cls').toFixed(3)} | ${seconds(m('si'))} | ${m('kib').toFixed(1)} | ${m('requests')} |`;
    console.log(row);
    rows.push(row);
  }
}

const loadAfter = loadavg()[0];
const title = 'Web client first load (Lighthouse)';
const section = `<!-- ${title}: start -->
## ${title}

Measured ${new Date().toISOString().slice(0, 10)} with Lighthouse 13.5 in Chromium ${chrome} (headless) against the release server on
loopback, on the benchmark machine (Lighthouse's CPU benchmark index ${median(benchmarkIndexes).toFixed(0)}; load average ${loadBefore.toFixed(1)} at the
start and ${loadAfter.toFixed(1)} at the end on its 2 cores, shared with other work). Each figure is the median of ${runs} runs per
page and profile; the performance score's lowest and highest run are in brackets. Lighthouse's simulation scales the
main-thread work it observes, so a busy machine lowers the scores: compare runs at similar load.

\`tests/Telemed.Benchmarks/run-lighthouse.sh ${runs}\`

The 2G profile is Lighthouse's simulated throttling with
\`--throttling.rttMs=300 --throttling.throughputKbps=250 --throttling.cpuSlowdownMultiplier=4\`; the default is its
mobile profile (a mid-range phone on slow 4G: 150 ms, 1.6 Mbps, 4x CPU). Transferred is what the browser received
(compressed), requests every request of the load.

| page | profile | performance (runs) | FCP s | LCP s | interactive s | TBT ms | CLS | Speed Index s | transferred KiB | requests |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Targets: the sign-in page interactive in under 4 s on the 2G profile; performance ≥ 95 in the default mobile profile.
<!-- ${title}: end -->
`;
const text = readFileSync(docs, 'utf8');
const pattern = new RegExp(`<!-- ${title.replace(/[()]/g, '\\$&')}: start -->[\\s\\S]*?<!-- ${title.replace(/[()]/g, '\\$&')}: end -->\\n`);
writeFileSync(docs, pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}`);
console.log(`Written to ${docs}.`);
