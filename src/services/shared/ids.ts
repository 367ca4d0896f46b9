const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot exist, so it is "not found" before any SQL runs. */
export const isId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
