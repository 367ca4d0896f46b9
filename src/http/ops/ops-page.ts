import type { SubscriptionsGlance } from '../../db/stores/renewal-store';
import { SubscriptionStatus, type OutboxEvent, type SagaExecution, type SellerTransfer } from '../../entities';
import type { OutcomeBucket } from '../../services/operations/checkout-outcomes.service';
import { sagaOrderId } from '../../services/operations/saga-operations.service';
import { escapeHtml as e } from './html';
import { outcomeChart } from './outcome-chart';

export type OpsAction = 'recoverSaga' | 'replayOutboxEvent' | 'retrySellerTransfer';

/** What the last action answered, shown once after its redirect. */
export interface Notice {
  action: OpsAction;
  id: string;
  /** null = done; else the ErrorCode it was refused with. */
  refusedWith: string | null;
}

export interface Dashboard {
  outcomes: OutcomeBucket[];
  sagas: SagaExecution[];
  outboxEvents: OutboxEvent[];
  transfers: SellerTransfer[];
  subscriptions: SubscriptionsGlance;
  /** The form token every action posts back. */
  csrf: string;
  notice: Notice | null;
}

const DONE: Record<OpsAction, string> = {
  recoverSaga: 'Saga recovered',
  replayOutboxEvent: 'Event sent back to the relay (same event id)',
  retrySellerTransfer: 'Transfer queued for a new attempt (same idempotency key)',
};

function layout(title: string, body: string): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">' +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title>` +
    `<link rel="stylesheet" href="/ops/ops.css"></head><body>${body}</body></html>`;
}

/** The sign-in form: an admin's email and password; the session is kept in an HttpOnly cookie for this page only. */
export function signInPage(problem: string | null): string {
  return layout('Tillgate operations — sign in', '<h1>Tillgate operations</h1>' +
    (problem ? `<p class="notice refused" role="alert">${e(problem)}</p>` : '') +
    '<form method="post" action="/ops/sign-in">' +
    '<p><label for="email">Admin email</label></p><p><input id="email" name="email" type="email" autocomplete="username" maxlength="320" required></p>' +
    '<p><label for="password">Password</label></p><p><input id="password" name="password" type="password" autocomplete="current-password" maxlength="200" required></p>' +
    '<p><button type="submit">Sign in</button></p></form>');
}

const when = (date: Date | null) => (date ? e(date.toISOString().replace('T', ' ').slice(0, 19)) : '—');
const errorCell = (text: string | null) => `<td class="error">${text ? e(text.slice(0, 300)) : ''}</td>`;

function actionButton(csrf: string, action: OpsAction, id: string, label: string): string {
  return `<form class="inline" method="post" action="/ops/actions"><input type="hidden" name="csrf" value="${e(csrf)}">` +
    `<input type="hidden" name="action" value="${action}"><input type="hidden" name="id" value="${e(id)}"><button type="submit">${e(label)}</button></form>`;
}

function section(title: string, id: string, headings: string[], rows: string[], empty: string): string {
  const head = `<tr>${headings.map((h) => `<th>${e(h)}</th>`).join('')}</tr>`;
  const body = rows.length > 0 ? `<table id="${id}"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>` : `<p class="empty" id="${id}">${e(empty)}</p>`;
  return `<h2>${e(title)}</h2>${body}`;
}

function noticeLine(notice: Notice | null): string {
  if (!notice) return '';
  if (notice.refusedWith === null) return `<p class="notice" role="status">${e(DONE[notice.action])}: <code>${e(notice.id)}</code></p>`;
  return `<p class="notice refused" role="alert">Refused (${e(notice.refusedWith)}): <code>${e(notice.id)}</code> — the list below shows where it stands now.</p>`;
}

/** One row of counts: every status (0 when none), then the renewals whose charge has failed and is being retried. */
function subscriptionsTable(glance: SubscriptionsGlance): string {
  const statuses = Object.values(SubscriptionStatus);
  const head = [...statuses, 'renewals failing'].map((h) => `<th>${e(h)}</th>`).join('');
  const cells = [...statuses.map((status) => glance.byStatus[status] ?? 0), glance.failingRenewals].map((n) => `<td>${n}</td>`).join('');
  return `<h2>Subscriptions</h2><table id="subscriptions"><thead><tr>${head}</tr></thead><tbody><tr>${cells}</tr></tbody></table>`;
}

export function dashboardPage(view: Dashboard): string {
  const { csrf } = view;
  const sagaRows = view.sagas.map((s) => `<tr id="saga-${e(s.id)}"><td><code>${e(s.id)}</code></td><td>${e(s.status)}</td><td>${s.stepsCompleted}</td>` +
    `<td>${sagaOrderId(s) ? `<code>${e(sagaOrderId(s))}</code>` : '—'}</td>${errorCell(s.lastError)}<td>${when(s.updatedAt)}</td>` +
    `<td>${actionButton(csrf, 'recoverSaga', s.id, 'Recover now')}</td></tr>`);
  const eventRows = view.outboxEvents.map((ev) => `<tr id="event-${e(ev.id)}"><td><code>${e(ev.id)}</code></td><td>${e(ev.type)}</td><td>${e(ev.aggregateId)}</td>` +
    `<td class="status">${e(ev.status)}</td><td>${ev.attempts}</td>${errorCell(ev.lastError)}<td>${when(ev.createdAt)}</td>` +
    `<td>${actionButton(csrf, 'replayOutboxEvent', ev.id, 'Replay')}</td></tr>`);
  const transferRows = view.transfers.map((t) => `<tr id="transfer-${e(t.id)}"><td><code>${e(t.id)}</code></td><td><code>${e(t.orderId)}</code></td>` +
    `<td>${t.amount} ${e(t.currency)}</td><td>${e(t.status)}</td><td>${t.retryCount}</td>${errorCell(t.lastError)}<td>${when(t.nextRetryAt)}</td>` +
    `<td>${actionButton(csrf, 'retrySellerTransfer', t.id, 'Retry')}</td></tr>`);
  const signOut = `<form class="inline" method="post" action="/ops/sign-out"><input type="hidden" name="csrf" value="${e(csrf)}"><button type="submit">Sign out</button></form>`;
  return layout('Tillgate operations', `<header><h1>Tillgate operations</h1>${signOut}</header>${noticeLine(view.notice)}` +
    `<h2>Checkout outcomes, last hour</h2>${outcomeChart(view.outcomes)}` +
    subscriptionsTable(view.subscriptions) +
    section('Sagas: failed, or stuck past the recovery grace period', 'sagas', ['saga', 'status', 'steps done', 'order', 'last error', 'updated (UTC)', ''], sagaRows, 'No failed or stuck sagas.') +
    section('Outbox: dead letters and retrying events', 'outbox-events', ['event id', 'type', 'aggregate', 'status', 'attempts', 'last error', 'created (UTC)', ''], eventRows, 'No dead or retrying events.') +
    section('Seller transfers and reversals that failed', 'seller-transfers', ['transfer', 'order', 'amount (minor units)', 'status', 'retries', 'last error', 'next try (UTC)', ''], transferRows, 'No failed transfers or reversals.'));
}
