import { formatMinorUnits } from '../money';
import type { CheckoutSession, PaymentIntent } from '../objects';
import type { CheckoutLineItem } from '../state';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
a.button{display:inline-block;margin:.25rem .5rem .25rem 0;padding:.5rem 1rem;border:1px solid #635bff;border-radius:6px;text-decoration:none}
td{padding:.2rem .6rem .2rem 0}</style></head>
<body><p><small>Stripe emulator (test mode)</small></p>${content}</body></html>`;
}

function money(amount: number, currency: string): string {
  return `${formatMinorUnits(amount, currency)} ${currency.toUpperCase()}`;
}

export function checkoutPage(session: CheckoutSession, items: readonly CheckoutLineItem[]): string {
  const base = `/_emulator/checkout/${encodeURIComponent(session.id)}`;
  const rows = items
    .map((item) => `<tr><td>${escapeHtml(item.name)}</td><td>× ${item.quantity}</td><td>${money(item.unitAmount * item.quantity, session.currency)}</td></tr>`)
    .join('');
  const actions =
    session.status === 'open'
      ? `<a class="button" href="${base}/pay">Pay ${money(session.amount_total, session.currency)}</a>
<a class="button" href="${base}/pay?payment_method=pm_card_chargeDeclined">Pay with a declined card</a>
<a class="button" href="${base}/cancel">Cancel</a>`
      : `<p>This Checkout Session is <strong>${escapeHtml(session.status)}</strong>.</p>`;
  return page('Checkout', `<h1>Checkout</h1><table>${rows}</table><p>Total: <strong>${money(session.amount_total, session.currency)}</strong></p>${actions}`);
}

export function authenticationPage(intent: PaymentIntent): string {
  const base = `/_emulator/authenticate/${encodeURIComponent(intent.id)}/complete`;
  const actions =
    intent.status === 'requires_action'
      ? `<a class="button" href="${base}?succeed=true">Complete authentication</a><a class="button" href="${base}?succeed=false">Fail authentication</a>`
      : `<p>This PaymentIntent is <strong>${escapeHtml(intent.status)}</strong>.</p>`;
  return page('3D Secure', `<h1>3D Secure test page</h1><p>${money(intent.amount, intent.currency)}</p>${actions}`);
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
