import { Migration } from '@mikro-orm/migrations';

export class Migration20261122041221 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "credit_ledger_entries" ("id" uuid not null, "customer_id" uuid not null, "currency" varchar(3) not null, "amount" bigint not null, "reason" varchar(200) not null, "entry_key" varchar(200) not null, "order_id" uuid null, "created_at" timestamptz not null, constraint "credit_ledger_entries_pkey" primary key ("id"));`);
    this.addSql(`alter table "credit_ledger_entries" add constraint "credit_ledger_entries_entry_key_unique" unique ("entry_key");`);
    this.addSql(`create index "credit_ledger_entries_customer_id_currency_index" on "credit_ledger_entries" ("customer_id", "currency");`);

    this.addSql(`create table "customers" ("id" uuid not null, "email" varchar(320) not null, "password_hash" varchar(200) not null, "role" varchar(32) not null default 'CUSTOMER', "created_at" timestamptz not null, constraint "customers_pkey" primary key ("id"));`);
    this.addSql(`alter table "customers" add constraint "customers_email_unique" unique ("email");`);

    this.addSql(`create table "idempotency_records" ("id" uuid not null, "scope" varchar(50) not null, "key" varchar(300) not null, "status" varchar(32) not null default 'IN_PROGRESS', "result_id" uuid null, "created_at" timestamptz not null, constraint "idempotency_records_pkey" primary key ("id"));`);
    this.addSql(`alter table "idempotency_records" add constraint "idempotency_records_scope_key_unique" unique ("scope", "key");`);

    this.addSql(`create table "orders" ("id" uuid not null, "number" varchar(32) not null, "status" varchar(32) not null default 'PENDING_PAYMENT', "email" varchar(320) not null, "customer_id" uuid null, "cart_id" uuid null, "cart_version_key" varchar(128) null, "payment_link_id" uuid null, "payment_kind" varchar(32) not null, "currency" varchar(3) not null, "voucher_codes" jsonb not null, "shipping_method_id" uuid null, "shipping_method_name" varchar(200) null, "shipping_address" jsonb null, "subtotal" bigint not null default 0, "discount" bigint not null default 0, "shipping" bigint not null default 0, "shipping_discount" bigint not null default 0, "tax" bigint not null default 0, "total" bigint not null default 0, "credit_applied" bigint not null default 0, "amount_due" bigint not null default 0, "refunded" bigint not null default 0, "cancel_reason" varchar(500) null, "created_at" timestamptz not null, "placed_at" timestamptz null, "cancelled_at" timestamptz null, constraint "orders_pkey" primary key ("id"));`);
    this.addSql(`alter table "orders" add constraint "orders_number_unique" unique ("number");`);
    this.addSql(`create index "orders_cart_id_index" on "orders" ("cart_id");`);
    this.addSql(`create index "orders_payment_link_id_index" on "orders" ("payment_link_id");`);
    this.addSql(`create index "orders_customer_id_created_at_index" on "orders" ("customer_id", "created_at");`);
    this.addSql(`create index "orders_created_at_id_index" on "orders" ("created_at", "id");`);

    this.addSql(`create table "order_lines" ("id" uuid not null, "order_id" uuid not null, "position" int not null, "variant_id" uuid not null, "seller_id" uuid null, "sku" varchar(100) not null, "name" varchar(400) not null, "quantity" int not null, "unit_price" bigint not null, "discount" bigint not null, "total" bigint not null, "tax" bigint not null, constraint "order_lines_pkey" primary key ("id"));`);
    this.addSql(`create index "order_lines_order_id_index" on "order_lines" ("order_id");`);

    this.addSql(`create table "outbox_events" ("id" uuid not null, "type" varchar(100) not null, "aggregate_id" varchar(100) not null, "payload" jsonb not null, "created_at" timestamptz not null, "delivered_at" timestamptz null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_error" text null, constraint "outbox_events_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_events_delivered_at_next_attempt_at_index" on "outbox_events" ("delivered_at", "next_attempt_at");`);

    this.addSql(`create table "payments" ("id" uuid not null, "order_id" uuid not null, "kind" varchar(32) not null, "status" varchar(32) not null default 'PENDING', "amount" bigint not null, "captured" bigint not null default 0, "currency" varchar(3) not null, "provider_reference" varchar(255) null, "provider_payment_intent_id" varchar(255) null, "client_secret" varchar(255) null, "checkout_url" text null, "expires_at" timestamptz null, "created_at" timestamptz not null, constraint "payments_pkey" primary key ("id"));`);
    this.addSql(`create index "payments_order_id_index" on "payments" ("order_id");`);
    this.addSql(`create unique index payments_provider_reference_unique on payments (provider_reference) where provider_reference is not null;`);

    this.addSql(`create table "payment_links" ("id" uuid not null, "token" varchar(64) not null, "email" varchar(320) not null, "customer_id" uuid null, "description" varchar(500) not null, "amount" bigint not null, "currency" varchar(3) not null, "status" varchar(32) not null default 'OPEN', "created_at" timestamptz not null, constraint "payment_links_pkey" primary key ("id"));`);
    this.addSql(`alter table "payment_links" add constraint "payment_links_token_unique" unique ("token");`);

    this.addSql(`create table "processed_webhook_events" ("id" varchar(255) not null, "type" varchar(100) not null, "processed_at" timestamptz not null, constraint "processed_webhook_events_pkey" primary key ("id"));`);

    this.addSql(`create table "refunds" ("id" uuid not null, "order_id" uuid not null, "idempotency_key" varchar(200) not null, "amount" bigint not null, "provider_amount" bigint not null default 0, "currency" varchar(3) not null, "status" varchar(32) not null default 'PENDING', "reason" varchar(500) not null, "provider_refund_id" varchar(255) null, "created_at" timestamptz not null, "settled_at" timestamptz null, constraint "refunds_pkey" primary key ("id"));`);
    this.addSql(`create index "refunds_order_id_index" on "refunds" ("order_id");`);
    this.addSql(`create unique index refunds_provider_refund_id_unique on refunds (provider_refund_id) where provider_refund_id is not null;`);
    this.addSql(`alter table "refunds" add constraint "refunds_idempotency_key_unique" unique ("idempotency_key");`);

    this.addSql(`create table "saga_executions" ("id" uuid not null, "kind" varchar(50) not null, "key" varchar(300) not null, "steps_completed" int not null default 0, "status" varchar(32) not null default 'RUNNING', "data" jsonb not null, "last_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "saga_executions_pkey" primary key ("id"));`);
    this.addSql(`create index "saga_executions_status_updated_at_index" on "saga_executions" ("status", "updated_at");`);

    this.addSql(`create table "sellers" ("id" uuid not null, "name" varchar(200) not null, "stripe_account_id" varchar(100) not null, "created_at" timestamptz not null, constraint "sellers_pkey" primary key ("id"));`);

    this.addSql(`create table "products" ("id" uuid not null, "name" varchar(200) not null, "seller_id" uuid null, "created_at" timestamptz not null, constraint "products_pkey" primary key ("id"));`);
    this.addSql(`create index "products_created_at_id_index" on "products" ("created_at", "id");`);

    this.addSql(`create table "seller_transfers" ("id" uuid not null, "order_id" uuid not null, "seller_id" uuid not null, "amount" bigint not null, "reversed_amount" bigint not null default 0, "pending_reversal_amount" bigint not null default 0, "pending_reversal_refund_id" uuid null, "currency" varchar(3) not null, "status" varchar(32) not null default 'PENDING', "stripe_transfer_id" varchar(255) null, "stripe_reversal_id" varchar(255) null, "retry_count" int not null default 0, "next_retry_at" timestamptz null, "last_error" text null, "created_at" timestamptz not null, constraint "seller_transfers_pkey" primary key ("id"));`);
    this.addSql(`create index "seller_transfers_status_next_retry_at_index" on "seller_transfers" ("status", "next_retry_at");`);
    this.addSql(`alter table "seller_transfers" add constraint "seller_transfers_order_id_seller_id_unique" unique ("order_id", "seller_id");`);

    this.addSql(`create table "shipping_methods" ("id" uuid not null, "name" varchar(200) not null, "price" bigint not null, "currency" varchar(3) not null, constraint "shipping_methods_pkey" primary key ("id"));`);

    this.addSql(`create table "carts" ("id" uuid not null, "status" varchar(32) not null default 'OPEN', "currency" varchar(3) not null, "email" varchar(320) null, "customer_id" uuid null, "voucher_codes" jsonb not null, "shipping_method_id" uuid null, "shipping_address" jsonb null, "version" int not null default 1, "prices_validated_at" timestamptz null, "next_line_position" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "carts_pkey" primary key ("id"));`);
    this.addSql(`create index "carts_customer_id_index" on "carts" ("customer_id");`);

    this.addSql(`create table "tax_rates" ("country" varchar(2) not null, "rate_bps" int not null, constraint "tax_rates_pkey" primary key ("country"));`);

    this.addSql(`create table "variants" ("id" uuid not null, "product_id" uuid not null, "sku" varchar(100) not null, "name" varchar(200) not null, "price" bigint not null, "currency" varchar(3) not null, "created_at" timestamptz not null, constraint "variants_pkey" primary key ("id"));`);
    this.addSql(`create index "variants_product_id_index" on "variants" ("product_id");`);
    this.addSql(`alter table "variants" add constraint "variants_sku_unique" unique ("sku");`);

    this.addSql(`create table "reservations" ("id" uuid not null, "cart_id" uuid not null, "variant_id" uuid not null, "quantity" int not null, "status" varchar(32) not null default 'ACTIVE', "expires_at" timestamptz not null, "order_id" uuid null, "created_at" timestamptz not null, constraint "reservations_pkey" primary key ("id"));`);
    this.addSql(`create index "reservations_cart_id_index" on "reservations" ("cart_id");`);
    this.addSql(`create index "reservations_variant_id_status_expires_at_index" on "reservations" ("variant_id", "status", "expires_at");`);

    this.addSql(`create table "cart_lines" ("id" uuid not null, "cart_id" uuid not null, "variant_id" uuid not null, "quantity" int not null, "unit_price" bigint not null, "position" int not null, constraint "cart_lines_pkey" primary key ("id"));`);
    this.addSql(`alter table "cart_lines" add constraint "cart_lines_cart_id_variant_id_unique" unique ("cart_id", "variant_id");`);

    this.addSql(`create table "vouchers" ("id" uuid not null, "code" varchar(64) not null, "kind" varchar(32) not null, "value" bigint not null, "currency" varchar(3) null, "max_redemptions" int null, "per_customer_limit" int null, "redemption_count" int not null default 0, "starts_at" timestamptz null, "ends_at" timestamptz null, "min_subtotal" bigint null, "created_at" timestamptz not null, constraint "vouchers_pkey" primary key ("id"));`);
    this.addSql(`alter table "vouchers" add constraint "vouchers_code_unique" unique ("code");`);

    this.addSql(`create table "voucher_redemptions" ("id" uuid not null, "voucher_id" uuid not null, "customer_key" varchar(340) not null, "slot" int not null, "status" varchar(32) not null default 'HELD', "order_id" uuid null, "credit_granted" bigint null, "credit_currency" varchar(3) null, "created_at" timestamptz not null, "released_at" timestamptz null, constraint "voucher_redemptions_pkey" primary key ("id"));`);
    this.addSql(`create index "voucher_redemptions_voucher_id_index" on "voucher_redemptions" ("voucher_id");`);
    this.addSql(`create index "voucher_redemptions_order_id_index" on "voucher_redemptions" ("order_id");`);
    this.addSql(`create unique index voucher_redemptions_live_slot_unique on voucher_redemptions (voucher_id, customer_key, slot) where status <> 'RELEASED';`);

    this.addSql(`create table "warehouses" ("id" uuid not null, "name" varchar(200) not null, "is_default" boolean not null default false, constraint "warehouses_pkey" primary key ("id"));`);

    this.addSql(`create table "stock_levels" ("id" uuid not null, "variant_id" uuid not null, "warehouse_id" uuid not null, "on_hand" int not null default 0, constraint "stock_levels_pkey" primary key ("id"));`);
    this.addSql(`create index "stock_levels_variant_id_index" on "stock_levels" ("variant_id");`);
    this.addSql(`alter table "stock_levels" add constraint "stock_levels_variant_id_warehouse_id_unique" unique ("variant_id", "warehouse_id");`);

    this.addSql(`alter table "order_lines" add constraint "order_lines_order_id_foreign" foreign key ("order_id") references "orders" ("id") on update cascade;`);

    this.addSql(`alter table "products" add constraint "products_seller_id_foreign" foreign key ("seller_id") references "sellers" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "carts" add constraint "carts_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "carts" add constraint "carts_shipping_method_id_foreign" foreign key ("shipping_method_id") references "shipping_methods" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "variants" add constraint "variants_product_id_foreign" foreign key ("product_id") references "products" ("id") on update cascade;`);

    this.addSql(`alter table "reservations" add constraint "reservations_variant_id_foreign" foreign key ("variant_id") references "variants" ("id") on update cascade;`);

    this.addSql(`alter table "cart_lines" add constraint "cart_lines_cart_id_foreign" foreign key ("cart_id") references "carts" ("id") on update cascade;`);
    this.addSql(`alter table "cart_lines" add constraint "cart_lines_variant_id_foreign" foreign key ("variant_id") references "variants" ("id") on update cascade;`);

    this.addSql(`alter table "voucher_redemptions" add constraint "voucher_redemptions_voucher_id_foreign" foreign key ("voucher_id") references "vouchers" ("id") on update cascade;`);

    this.addSql(`alter table "stock_levels" add constraint "stock_levels_variant_id_foreign" foreign key ("variant_id") references "variants" ("id") on update cascade;`);
    this.addSql(`alter table "stock_levels" add constraint "stock_levels_warehouse_id_foreign" foreign key ("warehouse_id") references "warehouses" ("id") on update cascade;`);
  }

}
