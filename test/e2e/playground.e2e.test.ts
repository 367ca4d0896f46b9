import type { Browser, Page } from 'playwright-core';
import { launchTestBrowser } from '../support/browser';
import { startTestApp, type TestApp } from '../support/test-app';

const TOKEN_HEADERS = '{"Authorization": "Bearer playground-test-token"}';

/**
 * The playground in a real headless browser: it opens with the checkout tabs,
 * tells how to send the headers, keeps them across a reload, and asks nothing
 * of any other host (it works offline).
 */
describe('the playground in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchTestBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  const tabTitles = async (page: Page): Promise<string[]> => {
    await page.locator('.graphiql-tab').nth(6).waitFor();
    return (await page.locator('.graphiql-tab-button').allTextContents()).map((title) => title.trim());
  };

  const headersEditor = async (page: Page) => {
    await page.getByRole('button', { name: 'Headers' }).click();
    return page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)').last();
  };

  it('when it opens, then it shows the checkout tabs and the header note, keeps the headers across a reload, and loads nothing from elsewhere', async () => {
    const context = await browser.newContext();
    const elsewhere: string[] = [];
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith(app.url)) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(`${app.url}/playground`);

    expect(await tabTitles(page)).toEqual([
      'Catalog',
      'LogIn',
      'CreateCart',
      'AddCartLine',
      'SetShippingAddress',
      'ShippingMethods',
      'StartCheckout',
      'ConfirmCheckout',
    ]);
    const note = page.locator('#headers-note');
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toEqual(expect.stringMatching(/Authorization.*Bearer.*X-Api-Key/s));

    // The ConfirmCheckout tab pays cash on delivery.
    await page.locator('.graphiql-tab-button', { hasText: 'ConfirmCheckout' }).click();
    await page.getByRole('button', { name: 'Variables' }).click();
    expect(await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)').first().textContent()).toContain('CASH_ON_DELIVERY');

    const editor = await headersEditor(page);
    await editor.click();
    await page.keyboard.insertText(TOKEN_HEADERS);
    // GraphiQL writes its storage a moment after an edit: wait for it rather than for a fixed time.
    // (The page's strict CSP forbids evaluating a string: a function it is; the test's lib has no DOM types.)
    await page.waitForFunction(() =>
      String((globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('graphiql:headers')).includes(
        'playground-test-token',
      ),
    );
    await page.reload();
    await tabTitles(page);
    expect(await (await headersEditor(page)).textContent()).toContain('Bearer playground-test-token');

    expect(elsewhere).toEqual([]);
    await context.close();
  });
});
