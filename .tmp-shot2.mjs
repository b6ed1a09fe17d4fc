import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8093';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
async function as(who) {
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`${base}/signin`);
  await page.getByTestId('signin-email').fill(who);
  await page.getByTestId('signin-password').fill('accord-demo');
  await page.getByTestId('signin-password').press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  await page.locator('a[href^="/documents/"]').first().click();
  await page.locator('.accord-clause').first().waitFor();
  return page;
}
const d = await as('drafter@demo.accord');
await d.getByTestId('panel-tab-comments').click();
await d.waitForTimeout(800);
await d.locator('.side-panel-body').evaluate((el) => el.scrollTo(0, el.scrollHeight));
await d.waitForTimeout(500);
await d.screenshot({ path: '/tmp/shots/drafter-bottom.png' });
await d.locator('.accord-clause[data-number="1.2"]').evaluate((el) => {
  const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let t = w.nextNode(); while (t && !t.textContent.includes('clear rules')) t = w.nextNode(); const r = document.createRange(); const i = t.textContent.indexOf('clear rules'); r.setStart(t, i); r.setEnd(t, i + 11); getSelection().removeAllRanges(); getSelection().addRange(r);
});
await d.waitForTimeout(100);
await d.keyboard.press('Control+Alt+m');
await d.getByTestId('new-thread-text').pressSequentially('Please check @Lu');
await d.waitForTimeout(300);
await d.screenshot({ path: '/tmp/shots/drafter-draft.png' });
const c = await as('cochair@demo.accord');
await c.getByTestId('panel-tab-inbox').click();
await c.waitForTimeout(800);
await c.screenshot({ path: '/tmp/shots/cochair-inbox.png' });
await browser.close();
