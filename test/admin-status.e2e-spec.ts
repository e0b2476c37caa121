import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { FakeOidcProvider } from './fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { authHeaders } from './helpers/tokens';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const ARTIFACTS = join(__dirname, 'artifacts');
const SCREENSHOT = join(ARTIFACTS, 'admin-status.png');

/** Chromium without the network chatter the closed test network refuses. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Issue 20: the admin status page on the metrics listener, driven in a real browser. */
describe('/admin/status', () => {
  let gitlab: FakeOidcProvider;
  let model: OpenAiFake;
  let gateway: TestGateway;
  let browser: BrowserContext;
  let profile: string;
  let adminUrl: string;

  beforeAll(async () => {
    [gitlab, model] = await Promise.all([FakeOidcProvider.start(), startOpenAiFake()]);
    gateway = await startGateway({
      AIGW_GITLAB_URL: gitlab.issuer,
      AIGW_CUSTOM_MODELS__ENABLED: 'true',
      AIGW_ADMIN__TOKEN: ADMIN_TOKEN,
    });
    adminUrl = `http://127.0.0.1:${gateway.metricsPort}/admin`;
    profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
    // A fresh profile per run: playwright passes it to Chromium as `--user-data-dir`.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      viewport: { width: 390, height: 844 },
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
    await Promise.all([gateway.close(), model.close().catch(() => undefined), gitlab.close()]);
  });

  async function completeThroughModel(): Promise<void> {
    model.script({ chunks: ['return', ' a + b'], usage: { inputTokens: 8, outputTokens: 2 } });
    const response = await fetch(`${gateway.baseUrl}/v2/code/completions`, {
      method: 'POST',
      headers: { ...authHeaders(gitlab), 'content-type': 'application/json' },
      body: JSON.stringify({
        prompt_version: 2,
        model_provider: 'litellm',
        model_name: 'codegemma',
        model_endpoint: model.url,
        model_api_key: 'sk-do-not-show',
        stream: true,
        current_file: { file_name: 'a.py', content_above_cursor: 'def add(a, b):\n    ', content_below_cursor: '' },
      }),
    });
    expect(response.status).toBe(200);
    await response.text();
  }

  function watchConsole(page: Page): string[] {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    return problems;
  }

  const healthOf = (page: Page) =>
    page.locator(
      `tr[data-endpoint="${new URL(model.url).origin}${new URL(model.url).pathname.replace(/\/+$/, '')}"] .badge`,
    );

  it('refuses without the token, logs in through the form and shows a model going down within one refresh', async () => {
    await completeThroughModel();
    const page = await browser.newPage();
    const problems = watchConsole(page);

    await page.goto(`${adminUrl}/status`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(await page.locator('table').count()).toBe(0);

    await page.fill('#token', 'not-the-admin-token');
    await page.click('button[type=submit]');
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('Wrong token');
    expect(new URL(page.url()).pathname).toBe('/admin/login');

    await page.fill('#token', ADMIN_TOKEN);
    await Promise.all([page.waitForURL(`${adminUrl}/status`), page.click('button[type=submit]')]);
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'aigw_admin', httpOnly: true, sameSite: 'Strict', path: '/admin' }),
    ]);
    expect(cookies[0].value).not.toContain(ADMIN_TOKEN);
    await expect(healthOf(page).textContent()).resolves.toBe('up');
    const text = await page.locator('body').innerText();
    expect(text).toContain('codegemma');
    expect(text).not.toContain('sk-do-not-show');
    expect(await page.locator('svg.chart').count()).toBeGreaterThan(0);

    await model.close();
    await page.waitForEvent('load', { timeout: 15_000 });
    await expect(healthOf(page).textContent()).resolves.toBe('down');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`Status page screenshot: ${SCREENSHOT}`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('takes the admin token as a bearer header and never a GitLab token', async () => {
    const status = (authorization?: string) =>
      fetch(`${adminUrl}/status`, {
        redirect: 'manual',
        headers: authorization ? { authorization } : {},
      });
    const withToken = await status(`Bearer ${ADMIN_TOKEN}`);
    expect(withToken.status).toBe(200);
    expect(withToken.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await withToken.text()).toContain('AI Gateway status');
    expect((await status(authHeaders(gitlab).authorization)).status).toBe(401);
    expect((await status('Bearer wrong')).status).toBe(401);
    const anonymous = await status();
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/admin/login');
  });

  it('keeps serving Prometheus metrics on every other path', async () => {
    const response = await fetch(gateway.metricsUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('model_time_to_first_token_seconds');
  });
});
