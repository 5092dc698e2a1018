/**
 * The connect page of every auth method of every shipped definition, in Chromium: rendered at
 * 360 px and 1024 px with no horizontal overflow and every label, control and button on
 * screen, axe (WCAG 2.2 AA) finding nothing, and the same for the page with inline errors. A
 * fixture with a select (a field with `options`) covers that form until a shipped definition
 * has one, and is driven by keyboard alone. It iterates the definitions folder, so a new
 * definition is covered by being added. Screenshots go to a temporary folder, or to
 * `CONNECT_SCREENSHOTS_DIR` when set (`pnpm -C packages/platform screenshots:connect` writes
 * them to docs/connect-pages/).
 *
 * No request leaves loopback: the pages are only rendered, forms are submitted only with a
 * required field empty (refused before any provider call), the OAuth links are not followed,
 * and the browser aborts anything that is not for the platform.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialFieldsOf, IntegrationCatalogue } from '../src/integrations/catalogue.js';
import type { AuthFormat, IntegrationDefinition } from '../src/integrations/definition.js';
import { createPlatform, type Platform } from '../src/platform.js';
import { launchChromium } from './support/chromium.js';
import { createTestDatabase, TEST_SECRET_KEY, type TestDatabase } from './support/databases.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const WIDTHS = [360, 1024] as const;

/** A form with a select, a help link on the method and on a field, and a long unbroken label. */
const choiceFixture: IntegrationDefinition = {
  name: 'fixture-choice',
  label: 'Fixture with a data-centre choice',
  category: 'other',
  baseUrl: 'https://{region}.fixture.invalid',
  authMethods: [
    {
      format: 'api_key',
      label: 'API token',
      help: 'In the admin console, open Settings, then API tokens, and create a token for this connection.',
      helpUrl: 'https://docs.fixture.invalid/api-tokens',
      fields: [
        {
          name: 'region',
          label: 'Data centre',
          help: 'The data centre your account is hosted in: it is in your account’s web address.',
          helpUrl: 'https://docs.fixture.invalid/data-centres',
          pattern: '^(eu|us|au)$',
          options: [
            { value: 'eu', label: 'Europe (eu.fixture.invalid)' },
            { value: 'us', label: 'United States (us.fixture.invalid)' },
            { value: 'au', label: 'Australia (au.fixture.invalid)' },
          ],
        },
        {
          name: 'api_token',
          label: 'API token',
          secret: true,
          placeholder: 'fx_live_0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijkl',
        },
      ],
      apply: { headers: { Authorization: 'Bearer {api_token}' } },
    },
  ],
};

const shipped = IntegrationCatalogue.load();
const SHIPPED = shipped.names().map((name) => shipped.require(name));

interface PageCase {
  def: IntegrationDefinition;
  format: AuthFormat;
}
/** The methods a connect page offers (OAuth sign-in only with the authorization-code grant). */
const offered = (def: IntegrationDefinition) =>
  def.authMethods.filter((m) => m.format !== 'oauth2' || m.oauth2?.grant === 'authorization_code');
const CASES: PageCase[] = [...SHIPPED, choiceFixture].flatMap((def) =>
  offered(def).map((method) => ({ def, format: method.format })),
);

describe('connect pages of every shipped definition in Chromium', () => {
  let platform: Platform;
  let database: TestDatabase;
  let browser: Browser;
  let url: string;
  let apiToken: string;
  let definitionsDir: string;
  let screenshots: string;
  let ownScreenshots = false;
  let client = 0;

  beforeAll(async () => {
    definitionsDir = mkdtempSync(join(tmpdir(), 'truto-defs-'));
    writeFileSync(join(definitionsDir, `${choiceFixture.name}.json`), JSON.stringify(choiceFixture));
    const wanted = process.env.CONNECT_SCREENSHOTS_DIR;
    if (wanted) {
      screenshots = resolve(wanted);
      mkdirSync(screenshots, { recursive: true });
    } else {
      screenshots = mkdtempSync(join(tmpdir(), 'truto-connect-pages-'));
      ownScreenshots = true;
    }
    database = await createTestDatabase('sqlite');
    platform = await createPlatform({
      database: database.url,
      secretKey: TEST_SECRET_KEY,
      integrations: [definitionsDir],
      // Every OAuth sign-in is offered (the client is never used: the links are not followed).
      oauthClients: Object.fromEntries(
        SHIPPED.map((def) => [def.name, { clientId: 'test-client', clientSecret: 'test-secret' }]),
      ),
      // Each page gets its own client address (X-Forwarded-For), so the pages' rate limit of
      // 60 a minute per client does not cap how many definitions this test can render.
      trustProxy: 1,
      webhooks: false,
      logger: pino({ level: 'silent' }),
    });
    url = (await platform.listen(0, '127.0.0.1')).url;
    apiToken = (await platform.tenants.create({ name: 'SaaS', allowedOrigins: ['https://app.test'] }))
      .apiToken;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await database?.dispose();
    rmSync(definitionsDir, { recursive: true, force: true });
    if (ownScreenshots) rmSync(screenshots, { recursive: true, force: true });
  });

  async function linkUrl(integration: string, format: string): Promise<string> {
    const res = await fetch(`${url}/link-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ integration, externalId: 'user-1' }),
    });
    expect(res.status).toBe(201);
    const link = new URL(((await res.json()) as { linkUrl: string }).linkUrl);
    link.searchParams.set('authFormat', format);
    return link.href;
  }

  async function openContext(locale = 'en-US'): Promise<BrowserContext> {
    client += 1;
    // bypassCSP only lets axe's own script in; the pages' CSP is checked in connect-flow.test.ts.
    const context = await browser.newContext({
      locale,
      bypassCSP: true,
      extraHTTPHeaders: { 'x-forwarded-for': `192.0.2.${client % 250}` },
    });
    const origin = new URL(url).origin;
    await context.route(
      (target) => target.origin !== origin,
      (route) => route.abort(),
    );
    return context;
  }

  /** Layout at one width: no sideways scrolling, every label, control and button on screen. */
  async function layoutProblems(page: Page, width: number): Promise<string[]> {
    await page.setViewportSize({ width, height: 800 });
    return page.evaluate(() => {
      const problems: string[] = [];
      const root = document.documentElement;
      if (root.scrollWidth > root.clientWidth)
        problems.push(`scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
      const selector = 'h1, label, input:not([type=hidden]), select, button, a.btn, .err, .hint, nav a';
      for (const element of Array.from(document.querySelectorAll<HTMLElement>(selector))) {
        if (element.hidden || element.closest('[hidden]')) continue;
        const box = element.getBoundingClientRect();
        const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}`;
        if (box.width === 0 || box.height === 0) problems.push(`${name} is not visible`);
        if (box.left < 0 || box.right > root.clientWidth + 0.5)
          problems.push(`${name} leaves the screen (${Math.round(box.left)}–${Math.round(box.right)})`);
      }
      return problems;
    });
  }

  async function axeViolations(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: AXE });
    return page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              ctx: unknown,
              opts: unknown,
            ) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }>;
          };
        }
      ).axe;
      const result = await axe.run(document, {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
      });
      return result.violations.map((v) => `${v.id} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    });
  }

  /** Screenshots at both widths, layout checked at each, axe at the end. */
  async function checkPage(page: Page, name: string): Promise<void> {
    for (const width of WIDTHS) {
      expect(await layoutProblems(page, width), `${name} at ${width}px`).toEqual([]);
      await page.screenshot({ path: join(screenshots, `${name}-${width}.png`), fullPage: true });
    }
    expect(await axeViolations(page), name).toEqual([]);
  }

  it.each(CASES)(
    '$def.name, $format: renders without layout breaks and axe finds nothing',
    async ({ def, format }) => {
      const context = await openContext();
      const page = await context.newPage();
      const response = await page.goto(await linkUrl(def.name, format));
      expect(response?.status()).toBe(200);
      // A form carries the method; an OAuth sign-in without fields is one link to the provider.
      const chosen =
        (await page.locator('input[name=authFormat]').count()) > 0
          ? await page.locator('input[name=authFormat]').getAttribute('value')
          : new URL((await page.locator('a#oauth').getAttribute('href')) ?? '', url).searchParams.get(
              'authFormat',
            );
      expect(chosen).toBe(format);
      const method = def.authMethods.find((m) => m.format === format);
      if (!method) throw new Error(format);
      // The fields the page asks for: OAuth sign-in asks only for its own (a subdomain).
      const fields = format === 'oauth2' ? (method.fields ?? []) : credentialFieldsOf(method);
      for (const field of fields) {
        const control = page.locator(`#f-${field.name}`);
        expect(await control.evaluate((e) => e.tagName), field.name).toBe(field.options ? 'SELECT' : 'INPUT');
        await expect.poll(() => control.isVisible()).toBe(true);
        // Labelled: the accessible name is the field's label (axe checks it has one at all).
        expect(await page.getByLabel(field.label, { exact: false }).count()).toBeGreaterThan(0);
      }
      if (offered(def).length > 1) {
        expect(await page.getByRole('navigation').getByRole('link').count()).toBe(offered(def).length);
      }
      const helpLinks = page.locator('a[target=_blank]');
      for (let i = 0; i < (await helpLinks.count()); i++) {
        const link = helpLinks.nth(i);
        expect(await link.getAttribute('href')).toMatch(/^https:\/\//);
        expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      }
      if (method.helpUrl) {
        expect(await page.locator(`a[href="${method.helpUrl}"]`).count()).toBeGreaterThan(0);
      }
      await checkPage(page, `${def.name}-${format}`);

      // The same form with its inline errors: submitted with every field empty. Only when a
      // field is required, so the platform refuses it before calling the provider.
      const required = fields.filter((f) => f.required !== false && f.default === undefined);
      if (required.length > 0 && fields.length > 0) {
        await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST'),
          page.getByRole('button').click(),
        ]);
        await page.waitForLoadState();
        for (const field of required) {
          expect(await page.locator(`#f-${field.name}`).getAttribute('aria-invalid'), field.name).toBe(
            'true',
          );
        }
        await checkPage(page, `${def.name}-${format}-errors`);
      }
      await context.close();
    },
  );

  it('the select works by keyboard alone, keeps its choice, and refuses a value outside its options', async () => {
    const context = await openContext('de-DE');
    const page = await context.newPage();
    await page.goto(`${await linkUrl(choiceFixture.name, 'api_key')}&lang=de`);
    const select = page.locator('#f-region');
    expect(await select.inputValue()).toBe('');
    expect(await page.locator('#f-region option').first().textContent()).toBe('Bitte wählen…');
    expect(await page.locator('a[href="https://docs.fixture.invalid/data-centres"]').textContent()).toBe(
      'Wo Sie das finden (öffnet in einem neuen Tab)',
    );
    // Tab to the select past the help links; arrow keys choose.
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'f-region'; i++) {
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-region');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await select.inputValue()).toBe('us');
    // Submitted by keyboard with the token empty: the token is missing, the choice is kept.
    await page.keyboard.press('Tab');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    await page.waitForLoadState();
    expect(await page.locator('#f-region').inputValue()).toBe('us');
    expect(await page.locator('#f-api_token-err').textContent()).toBe('API token ist erforderlich.');
    expect(await page.locator('#f-region').getAttribute('aria-invalid')).toBeNull();

    // A value the page never offered, sent around it: refused inline, like a pattern mismatch.
    const hidden = Object.fromEntries(
      await page
        .locator('input[type=hidden]')
        .evaluateAll((inputs) =>
          inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value]),
        ),
    ) as Record<string, string>;
    const res = await page.request.post(`${url}/link/connect`, {
      form: { ...hidden, region: 'eu-west', api_token: 'fx_live_x' },
      headers: { 'x-forwarded-for': '198.51.100.7' },
    });
    expect(res.status()).toBe(400);
    const html = await res.text();
    expect(html).toContain(
      '<p class="err" id="f-region-err">Data centre hat nicht das erwartete Format.</p>',
    );
    expect(html).toContain('aria-invalid="true"');
    await context.close();
  });
});
