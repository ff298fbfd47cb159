// Lighthouse's accessibility and best-practices categories on each role's main page, in its default mobile profile.
// Staff and patients are signed in through the page itself first (Puppeteer on the local Chromium), then Lighthouse
// loads the same tab again without clearing its storage (--disable-storage-reset): the tab resumes its session from
// the refresh cookie as a reload does, and Lighthouse audits the signed-in page.
// node roles.mjs BASE_URL DOCS_FILE
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const [base, docs] = process.argv.slice(2);
const password = 'telemed-demo';
// The published demo admin's authenticator secret (Demo:AdminTotpSecret in docs/configuration.md).
const adminTotpSecret = 'TELEMEDDEMOADMINTOTPSECRET234567';
const healthWorker = { name: 'Sunita Devi', email: 'sunita.devi@hwc.example.in', password: 'counter-tablet-check-2026', cadre: 'anm' };

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  return Buffer.from(bits.match(/.{8}/g).map(byte => parseInt(byte, 2)));
}

// RFC 6238 as the server checks it: HMAC-SHA1, 30-second steps, 6 digits. Each code is taken once by the server, so
// every sign-in here uses a step of its own.
let lastStep = 0;
async function totp() {
  let step;
  // The server takes the step after the current one too: past that, wait for the clock.
  while ((step = Math.max(Math.floor(Date.now() / 30000), lastStep + 1)) > Math.floor(Date.now() / 30000) + 1) {
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  lastStep = step;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hmac = createHmac('sha1', base32(adminTotpSecret)).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  return String((hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function api(path, body, token) {
  const response = await fetch(base + path, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

// The admin registers a spoke centre and its health worker through the API (the demo cast has no health worker).
async function registerHealthWorker() {
  let answer = await api('/api/auth/sign-in', { email: 'admin@telemed.local', password });
  if (answer.challenge) answer = await api('/api/auth/mfa/verify', { challenge: answer.challenge, code: await totp() });
  const admin = answer.accessToken;
  const spoke = await api('/api/admin/facilities', {
    hfrId: 'IN0910000777', name: 'HWC Sitapur', district: 'Sitapur', state: 'Uttar Pradesh', proceedUnverified: true, unverifiedReason: 'benchmark',
  }, admin);
  await api('/api/admin/health-workers', { ...healthWorker, facilityId: spoke.id }, admin);
}

async function signInStaff(page, email, staffPassword = password) {
  await page.goto(base + '/');
  await page.waitForSelector('#staff-signin:not([disabled])');
  await page.type('#email', email);
  await page.type('#password', staffPassword);
  await page.click('#staff-signin');
}

async function latestCode(mobile, asked) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const messages = await (await fetch(`${base}/api/dev/messages?to=${encodeURIComponent(mobile)}`)).json();
    const code = messages.find(message => message.template === 'SignInCode' && Date.parse(message.at) >= asked);
    if (code) return code.text.match(/\b\d{6}\b/)[0];
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`no sign-in code reached ${mobile}`);
}

const pages = [
  { name: 'Sign-in (the patient\'s first page)', section: 'signin' },
  {
    name: 'Patient: the list of OPDs', section: 'patient',
    signIn: async page => {
      await page.goto(base + '/');
      await page.waitForSelector('#send-code');
      await page.type('#mobile', '9876543210');
      const asked = Date.now() - 1000;
      await page.click('#send-code');
      await page.waitForSelector('#code', { visible: true });
      await page.type('#code', await latestCode('+919876543210', asked));
      await page.click('#patient-signin');
    },
  },
  { name: 'Doctor: sessions and queue', section: 'doctor', signIn: page => signInStaff(page, 'asha.verma@telemed.local') },
  { name: 'Pharmacist: the counter', section: 'pharmacy', signIn: page => signInStaff(page, 'meena.iyer@telemed.local') },
  {
    name: 'Admin: home', section: 'admin',
    signIn: async page => {
      await signInStaff(page, 'admin@telemed.local');
      await page.waitForSelector('#mfa-code', { visible: true });
      await page.type('#mfa-code', await totp());
      await page.click('#mfa-submit');
    },
  },
  { name: 'Health worker: the centre\'s patients', section: 'health-worker', signIn: page => signInStaff(page, healthWorker.email, healthWorker.password) },
];

const categories = ['accessibility', 'best-practices'];
await registerHealthWorker();
const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const rows = [];
let failed = false;
let chrome = '';
try {
  for (const { name, section, signIn } of pages) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    if (signIn) {
      await signIn(page);
      await page.waitForSelector(`#${section}`, { visible: true, timeout: 20000 });
    }
    const result = await lighthouse(base + '/', {
      onlyCategories: categories, disableStorageReset: Boolean(signIn), logLevel: 'error', output: 'json',
    }, undefined, page);
    const report = result.lhr;
    if (report.runtimeError) throw new Error(`${name}: ${report.runtimeError.message}`);
    chrome = report.environment.hostUserAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? chrome;
    // The page Lighthouse audited must be the signed-in one: a tab that did not resume shows the sign-in form.
    const shown = await page.evaluate(id => !document.getElementById(id)?.hidden, section).catch(() => false);
    if (signIn && !shown) throw new Error(`${name}: the tab did not resume its session under Lighthouse`);
    const scores = categories.map(category => Math.round(report.categories[category].score * 100));
    const flagged = categories.flatMap(category => report.categories[category].auditRefs
      .filter(ref => ref.weight > 0 && report.audits[ref.id].score !== null && report.audits[ref.id].score < 1)
      .map(ref => ref.id));
    if (flagged.length) failed = true;
    for (const id of flagged) {
      const audit = report.audits[id];
      console.error(`${name}: ${id} (${audit.title})`);
      for (const item of audit.details?.items ?? []) console.error(`  ${item.node?.selector ?? item.source?.url ?? JSON.stringify(item).slice(0, 200)}`);
    }
    const row = `| ${name} | ${scores.join(' | ')} | ${flagged.join(', ') || 'none'} |`;
    console.log(row);
    rows.push(row);
    await context.close();
  }
} finally {
  await browser.close();
}

const title = 'Accessibility and best practices (Lighthouse)';
const section = `<!-- ${title}: start -->
## ${title}

Measured ${new Date().toISOString().slice(0, 10)} with Lighthouse 13.5 in Chromium ${chrome} (headless), its default mobile profile, against the
release server with the demo cast on loopback. Each role signs in through the page first; Lighthouse then loads the
same tab again keeping its storage (\`disableStorageReset\`), so the tab resumes its session and the audited page is the
signed-in one. The health worker is registered by the admin through the API first (the demo cast has none). The
public prescription check is not among them: the benchmark has no prescription to open, and an id without one answers
404, which the browser logs as a console error (best practices' \`errors-in-console\`).

\`tests/Telemed.Benchmarks/run-lighthouse-roles.sh\`

| page | accessibility | best practices | audits below 100 |
|---|---|---|---|
${rows.join('\n')}
<!-- ${title}: end -->
`;
const text = readFileSync(docs, 'utf8');
const escaped = title.replace(/[()]/g, '\\$&');
const pattern = new RegExp(`<!-- ${escaped}: start -->[\\s\\S]*?<!-- ${escaped}: end -->\\n`);
writeFileSync(docs, pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}`);
console.log(`Written to ${docs}.`);
if (failed) process.exitCode = 1;
