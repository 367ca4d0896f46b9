import { invalidRequest } from './errors';
import type { FormObject, FormValue } from './form-decoding';

export type Metadata = Record<string, string>;

// Stripe's documented metadata limits.
const METADATA_MAX_KEYS = 50;
const METADATA_KEY_MAX_LENGTH = 40;
const METADATA_VALUE_MAX_LENGTH = 500;

/** Parameters that every endpoint accepts whatever its own list says. */
const UNIVERSAL_PARAMS = ['expand'];

/**
 * Typed, validating view over decoded form parameters. Errors name the
 * parameter the way Stripe does (`line_items[0][quantity]`).
 */
export class Params {
  constructor(
    private readonly raw: FormObject,
    private readonly prefix = '',
  ) {}

  static empty(): Params {
    return new Params({});
  }

  /** Real Stripe refuses parameters it does not know: typos must not pass silently. */
  rejectUnknown(allowed: readonly string[]): void {
    for (const key of Object.keys(this.raw)) {
      if (!allowed.includes(key) && !(this.prefix === '' && UNIVERSAL_PARAMS.includes(key))) {
        throw invalidRequest(`Received unknown parameter: ${this.nameOf(key)}`, { param: this.nameOf(key), code: 'parameter_unknown' });
      }
    }
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  nameOf(name: string): string {
    return this.prefix === '' ? name : `${this.prefix}[${name}]`;
  }

  string(name: string, options: { maxLength?: number } = {}): string | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${this.nameOf(name)} must be a string`, { param: this.nameOf(name) });
    if (options.maxLength !== undefined && value.length > options.maxLength) {
      throw invalidRequest(`Invalid ${this.nameOf(name)}: must be at most ${options.maxLength} characters`, { param: this.nameOf(name) });
    }
    return value;
  }

  requiredString(name: string, options: { maxLength?: number } = {}): string {
    const value = this.string(name, options);
    if (value === undefined || value === '') throw this.missing(name);
    return value;
  }

  integer(name: string, options: { min?: number; max?: number } = {}): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
      throw invalidRequest(`Invalid integer: ${text}`, { param: this.nameOf(name), code: 'parameter_invalid_integer' });
    }
    if (options.min !== undefined && value < options.min) {
      throw invalidRequest(`This value must be greater than or equal to ${options.min}.`, { param: this.nameOf(name) });
    }
    if (options.max !== undefined && value > options.max) {
      throw invalidRequest(`This value must be less than or equal to ${options.max}.`, { param: this.nameOf(name) });
    }
    return value;
  }

  requiredInteger(name: string, options: { min?: number; max?: number } = {}): number {
    const value = this.integer(name, options);
    if (value === undefined) throw this.missing(name);
    return value;
  }

  boolean(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') throw invalidRequest(`Invalid boolean: ${text}`, { param: this.nameOf(name) });
    return text === 'true';
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(text)) {
      throw invalidRequest(`Invalid ${this.nameOf(name)}: must be one of ${allowed.join(', ')}`, { param: this.nameOf(name) });
    }
    return text as T;
  }

  url(name: string): string | undefined {
    const text = this.string(name, { maxLength: 5000 });
    if (text === undefined) return undefined;
    if (!/^https?:\/\/[^\s]+$/i.test(text)) throw invalidRequest('Not a valid URL', { param: this.nameOf(name), code: 'url_invalid' });
    return text;
  }

  object(name: string): Params | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw invalidRequest(`Invalid object: ${this.nameOf(name)} must be a hash`, { param: this.nameOf(name) });
    }
    return new Params(value, this.nameOf(name));
  }

  array(name: string): Params[] | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw invalidRequest(`Invalid array: ${this.nameOf(name)} must be an array`, { param: this.nameOf(name) });
    return value.map((item, index) => {
      const itemName = `${this.nameOf(name)}[${index}]`;
      if (typeof item !== 'object' || Array.isArray(item)) throw invalidRequest(`Invalid object: ${itemName} must be a hash`, { param: itemName });
      return new Params(item, itemName);
    });
  }

  stringArray(name: string): string[] | undefined {
    const value = this.raw[name];
    if (value === undefined) return undefined;
    const items: FormValue[] = Array.isArray(value) ? value : [value];
    return items.map((item) => {
      if (typeof item !== 'string') throw invalidRequest(`Invalid array of strings: ${this.nameOf(name)}`, { param: this.nameOf(name) });
      return item;
    });
  }

  /** Metadata within Stripe's limits; an empty value means "no such key" (Stripe's way to unset one). */
  metadata(name = 'metadata'): Metadata {
    const value = this.raw[name];
    if (value === undefined || value === '') return {};
    if (typeof value !== 'object') throw invalidRequest(`Invalid object: ${this.nameOf(name)} must be a hash`, { param: this.nameOf(name) });
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
    const metadata: Metadata = {};
    for (const [key, item] of entries) {
      const param = `${this.nameOf(name)}[${key}]`;
      if (typeof item !== 'string') throw invalidRequest(`Invalid string: ${param} must be a string`, { param });
      if (key.length > METADATA_KEY_MAX_LENGTH) throw invalidRequest(`Metadata keys can have up to ${METADATA_KEY_MAX_LENGTH} characters`, { param });
      if (item.length > METADATA_VALUE_MAX_LENGTH) throw invalidRequest(`Metadata values can have up to ${METADATA_VALUE_MAX_LENGTH} characters`, { param });
      if (item !== '') metadata[key] = item;
    }
    if (Object.keys(metadata).length > METADATA_MAX_KEYS) {
      throw invalidRequest(`Metadata can have up to ${METADATA_MAX_KEYS} keys`, { param: this.nameOf(name) });
    }
    return metadata;
  }

  missing(name: string): ReturnType<typeof invalidRequest> {
    return invalidRequest(`Missing required param: ${this.nameOf(name)}.`, { param: this.nameOf(name), code: 'parameter_missing' });
  }
}
