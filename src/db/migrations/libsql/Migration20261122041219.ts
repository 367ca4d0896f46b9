import { Migration } from '@mikro-orm/migrations';

export class Migration20261122041219 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`credit_ledger_entries\` (\`id\` text not null, \`customer_id\` text not null, \`currency\` text not null, \`amount\` bigint not null, \`reason\` text not null, \`entry_key\` text not null, \`order_id\` text null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`credit_ledger_entries_entry_key_unique\` on \`credit_ledger_entries\` (\`entry_key\`);`);
    this.addSql(`create index \`credit_ledger_entries_customer_id_currency_index\` on \`credit_ledger_entries\` (\`customer_id\`, \`currency\`);`);

    this.addSql(`create table \`customers\` (\`id\` text not null, \`email\` text not null, \`password_hash\` text not null, \`role\` text not null default 'CUSTOMER', \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`customers_email_unique\` on \`customers\` (\`email\`);`);

    this.addSql(`create table \`idempotency_records\` (\`id\` text not null, \`scope\` text not null, \`key\` text not null, \`status\` text not null default 'IN_PROGRESS', \`result_id\` text null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`idempotency_records_scope_key_unique\` on \`idempotency_records\` (\`scope\`, \`key\`);`);

    this.addSql(`create table \`orders\` (\`id\` text not null, \`number\` text not null, \`status\` text not null default 'PENDING_PAYMENT', \`email\` text not null, \`customer_id\` text null, \`cart_id\` text null, \`cart_version_key\` text null, \`payment_link_id\` text null, \`payment_kind\` text not null, \`currency\` text not null, \`voucher_codes\` json not null, \`shipping_method_id\` text null, \`shipping_method_name\` text null, \`shipping_address\` json null, \`subtotal\` bigint not null default 0, \`discount\` bigint not null default 0, \`shipping\` bigint not null default 0, \`shipping_discount\` bigint not null default 0, \`tax\` bigint not null default 0, \`total\` bigint not null default 0, \`credit_applied\` bigint not null default 0, \`amount_due\` bigint not null default 0, \`refunded\` bigint not null default 0, \`cancel_reason\` text null, \`created_at\` datetime not null, \`placed_at\` datetime null, \`cancelled_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create unique index \`orders_number_unique\` on \`orders\` (\`number\`);`);
    this.addSql(`create index \`orders_cart_id_index\` on \`orders\` (\`cart_id\`);`);
    this.addSql(`create index \`orders_payment_link_id_index\` on \`orders\` (\`payment_link_id\`);`);
    this.addSql(`create index \`orders_customer_id_created_at_index\` on \`orders\` (\`customer_id\`, \`created_at\`);`);
    this.addSql(`create index \`orders_created_at_id_index\` on \`orders\` (\`created_at\`, \`id\`);`);

    this.addSql(`create table \`order_lines\` (\`id\` text not null, \`order_id\` text not null, \`position\` integer not null, \`variant_id\` text not null, \`seller_id\` text null, \`sku\` text not null, \`name\` text not null, \`quantity\` integer not null, \`unit_price\` bigint not null, \`discount\` bigint not null, \`total\` bigint not null, \`tax\` bigint not null, constraint \`order_lines_order_id_foreign\` foreign key(\`order_id\`) references \`orders\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`order_lines_order_id_index\` on \`order_lines\` (\`order_id\`);`);

    this.addSql(`create table \`outbox_events\` (\`id\` text not null, \`type\` text not null, \`aggregate_id\` text not null, \`payload\` json not null, \`created_at\` datetime not null, \`delivered_at\` datetime null, \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`last_error\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`outbox_events_delivered_at_next_attempt_at_index\` on \`outbox_events\` (\`delivered_at\`, \`next_attempt_at\`);`);

    this.addSql(`create table \`payments\` (\`id\` text not null, \`order_id\` text not null, \`kind\` text not null, \`status\` text not null default 'PENDING', \`amount\` bigint not null, \`captured\` bigint not null default 0, \`currency\` text not null, \`provider_reference\` text null, \`provider_payment_intent_id\` text null, \`client_secret\` text null, \`checkout_url\` text null, \`expires_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`payments_order_id_index\` on \`payments\` (\`order_id\`);`);
    this.addSql(`create unique index payments_provider_reference_unique on payments (provider_reference) where provider_reference is not null;`);

    this.addSql(`create table \`payment_links\` (\`id\` text not null, \`token\` text not null, \`email\` text not null, \`customer_id\` text null, \`description\` text not null, \`amount\` bigint not null, \`currency\` text not null, \`status\` text not null default 'OPEN', \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`payment_links_token_unique\` on \`payment_links\` (\`token\`);`);

    this.addSql(`create table \`processed_webhook_events\` (\`id\` text not null, \`type\` text not null, \`processed_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`refunds\` (\`id\` text not null, \`order_id\` text not null, \`idempotency_key\` text not null, \`amount\` bigint not null, \`provider_amount\` bigint not null default 0, \`currency\` text not null, \`status\` text not null default 'PENDING', \`reason\` text not null, \`provider_refund_id\` text null, \`created_at\` datetime not null, \`settled_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`refunds_order_id_index\` on \`refunds\` (\`order_id\`);`);
    this.addSql(`create unique index refunds_provider_refund_id_unique on refunds (provider_refund_id) where provider_refund_id is not null;`);
    this.addSql(`create unique index \`refunds_idempotency_key_unique\` on \`refunds\` (\`idempotency_key\`);`);

    this.addSql(`create table \`saga_executions\` (\`id\` text not null, \`kind\` text not null, \`key\` text not null, \`steps_completed\` integer not null default 0, \`status\` text not null default 'RUNNING', \`data\` json not null, \`last_error\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`saga_executions_status_updated_at_index\` on \`saga_executions\` (\`status\`, \`updated_at\`);`);

    this.addSql(`create table \`sellers\` (\`id\` text not null, \`name\` text not null, \`stripe_account_id\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`products\` (\`id\` text not null, \`name\` text not null, \`seller_id\` text null, \`created_at\` datetime not null, constraint \`products_seller_id_foreign\` foreign key(\`seller_id\`) references \`sellers\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`products_seller_id_index\` on \`products\` (\`seller_id\`);`);
    this.addSql(`create index \`products_created_at_id_index\` on \`products\` (\`created_at\`, \`id\`);`);

    this.addSql(`create table \`seller_transfers\` (\`id\` text not null, \`order_id\` text not null, \`seller_id\` text not null, \`amount\` bigint not null, \`reversed_amount\` bigint not null default 0, \`pending_reversal_amount\` bigint not null default 0, \`pending_reversal_refund_id\` text null, \`currency\` text not null, \`status\` text not null default 'PENDING', \`stripe_transfer_id\` text null, \`stripe_reversal_id\` text null, \`retry_count\` integer not null default 0, \`next_retry_at\` datetime null, \`last_error\` text null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`seller_transfers_status_next_retry_at_index\` on \`seller_transfers\` (\`status\`, \`next_retry_at\`);`);
    this.addSql(`create unique index \`seller_transfers_order_id_seller_id_unique\` on \`seller_transfers\` (\`order_id\`, \`seller_id\`);`);

    this.addSql(`create table \`shipping_methods\` (\`id\` text not null, \`name\` text not null, \`price\` bigint not null, \`currency\` text not null, primary key (\`id\`));`);

    this.addSql(`create table \`carts\` (\`id\` text not null, \`status\` text not null default 'OPEN', \`currency\` text not null, \`email\` text null, \`customer_id\` text null, \`voucher_codes\` json not null, \`shipping_method_id\` text null, \`shipping_address\` json null, \`version\` integer not null default 1, \`prices_validated_at\` datetime null, \`next_line_position\` integer not null default 0, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`carts_customer_id_foreign\` foreign key(\`customer_id\`) references \`customers\`(\`id\`) on delete set null on update cascade, constraint \`carts_shipping_method_id_foreign\` foreign key(\`shipping_method_id\`) references \`shipping_methods\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`carts_customer_id_index\` on \`carts\` (\`customer_id\`);`);
    this.addSql(`create index \`carts_shipping_method_id_index\` on \`carts\` (\`shipping_method_id\`);`);

    this.addSql(`create table \`tax_rates\` (\`country\` text not null, \`rate_bps\` integer not null, primary key (\`country\`));`);

    this.addSql(`create table \`variants\` (\`id\` text not null, \`product_id\` text not null, \`sku\` text not null, \`name\` text not null, \`price\` bigint not null, \`currency\` text not null, \`created_at\` datetime not null, constraint \`variants_product_id_foreign\` foreign key(\`product_id\`) references \`products\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`variants_product_id_index\` on \`variants\` (\`product_id\`);`);
    this.addSql(`create unique index \`variants_sku_unique\` on \`variants\` (\`sku\`);`);

    this.addSql(`create table \`reservations\` (\`id\` text not null, \`cart_id\` text not null, \`variant_id\` text not null, \`quantity\` integer not null, \`status\` text not null default 'ACTIVE', \`expires_at\` datetime not null, \`order_id\` text null, \`created_at\` datetime not null, constraint \`reservations_variant_id_foreign\` foreign key(\`variant_id\`) references \`variants\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`reservations_cart_id_index\` on \`reservations\` (\`cart_id\`);`);
    this.addSql(`create index \`reservations_variant_id_index\` on \`reservations\` (\`variant_id\`);`);
    this.addSql(`create index \`reservations_variant_id_status_expires_at_index\` on \`reservations\` (\`variant_id\`, \`status\`, \`expires_at\`);`);

    this.addSql(`create table \`cart_lines\` (\`id\` text not null, \`cart_id\` text not null, \`variant_id\` text not null, \`quantity\` integer not null, \`unit_price\` bigint not null, \`position\` integer not null, constraint \`cart_lines_cart_id_foreign\` foreign key(\`cart_id\`) references \`carts\`(\`id\`) on update cascade, constraint \`cart_lines_variant_id_foreign\` foreign key(\`variant_id\`) references \`variants\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`cart_lines_cart_id_index\` on \`cart_lines\` (\`cart_id\`);`);
    this.addSql(`create index \`cart_lines_variant_id_index\` on \`cart_lines\` (\`variant_id\`);`);
    this.addSql(`create unique index \`cart_lines_cart_id_variant_id_unique\` on \`cart_lines\` (\`cart_id\`, \`variant_id\`);`);

    this.addSql(`create table \`vouchers\` (\`id\` text not null, \`code\` text not null, \`kind\` text not null, \`value\` bigint not null, \`currency\` text null, \`max_redemptions\` integer null, \`per_customer_limit\` integer null, \`redemption_count\` integer not null default 0, \`starts_at\` datetime null, \`ends_at\` datetime null, \`min_subtotal\` bigint null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`vouchers_code_unique\` on \`vouchers\` (\`code\`);`);

    this.addSql(`create table \`voucher_redemptions\` (\`id\` text not null, \`voucher_id\` text not null, \`customer_key\` text not null, \`slot\` integer not null, \`status\` text not null default 'HELD', \`order_id\` text null, \`credit_granted\` bigint null, \`credit_currency\` text null, \`created_at\` datetime not null, \`released_at\` datetime null, constraint \`voucher_redemptions_voucher_id_foreign\` foreign key(\`voucher_id\`) references \`vouchers\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`voucher_redemptions_voucher_id_index\` on \`voucher_redemptions\` (\`voucher_id\`);`);
    this.addSql(`create index \`voucher_redemptions_order_id_index\` on \`voucher_redemptions\` (\`order_id\`);`);
    this.addSql(`create unique index voucher_redemptions_live_slot_unique on voucher_redemptions (voucher_id, customer_key, slot) where status <> 'RELEASED';`);

    this.addSql(`create table \`warehouses\` (\`id\` text not null, \`name\` text not null, \`is_default\` integer not null default false, primary key (\`id\`));`);

    this.addSql(`create table \`stock_levels\` (\`id\` text not null, \`variant_id\` text not null, \`warehouse_id\` text not null, \`on_hand\` integer not null default 0, constraint \`stock_levels_variant_id_foreign\` foreign key(\`variant_id\`) references \`variants\`(\`id\`) on update cascade, constraint \`stock_levels_warehouse_id_foreign\` foreign key(\`warehouse_id\`) references \`warehouses\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`stock_levels_variant_id_index\` on \`stock_levels\` (\`variant_id\`);`);
    this.addSql(`create index \`stock_levels_warehouse_id_index\` on \`stock_levels\` (\`warehouse_id\`);`);
    this.addSql(`create unique index \`stock_levels_variant_id_warehouse_id_unique\` on \`stock_levels\` (\`variant_id\`, \`warehouse_id\`);`);
  }

}
