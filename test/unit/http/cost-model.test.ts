import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, getNullableType, isListType, isObjectType, parse, validate } from 'graphql';
import { loadConfig } from '../../../src/config';
import { TILLGATE_COST_MODEL, UNCAPPED_LISTS } from '../../../src/http/cost-model';
import { queryLimitRules, requestLimitsFor } from '../../../src/http/request-limits';
import { CONFIRM_CHECKOUT, START_CHECKOUT } from '../../factories/checkout.factory';

const schema = buildSchema(readFileSync(join(process.cwd(), 'src', 'schema', 'schema.graphql'), 'utf8'));
const defaults = requestLimitsFor(loadConfig({}));

/** The measured cost of a document under the gateway's model (a budget of 0 refuses and reports it). */
function costOf(query: string): number {
  const errors = validate(schema, parse(query), queryLimitRules({ ...defaults, maxCost: 0 }));
  const refusal = errors.find((error) => error.extensions.limit === 'cost');
  return refusal ? (refusal.extensions.actual as number) : 0;
}

const MONEY = '{ amount currency }';

describe('the gateway cost model', () => {
  it('when the default budget is read, then it is about 10,000 rows', () => {
    expect(defaults.maxCost).toBe(10_000);
  });

  it('when its names are checked against the schema, then every value type, cap and weight names a real type or field', () => {
    const fieldExists = (key: string) => {
      const [typeName, fieldName] = key.split('.');
      const type = schema.getType(typeName);
      return isObjectType(type) && fieldName in type.getFields();
    };
    for (const name of TILLGATE_COST_MODEL.valueTypes) expect(isObjectType(schema.getType(name)) ? name : `${name} is not a type`).toBe(name);
    for (const key of [...Object.keys(TILLGATE_COST_MODEL.listCaps), ...Object.keys(TILLGATE_COST_MODEL.fieldWeights), ...UNCAPPED_LISTS]) {
      expect(fieldExists(key) ? key : `${key} is not a field`).toBe(key);
    }
  });

  it('when a list of rows is added to the schema, then it must be capped or knowingly left uncapped', () => {
    const unaccounted: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const key = `${type.name}.${field.name}`;
        const isPage = field.name === 'nodes' && type.name.endsWith('Connection');
        const holdsRows = isObjectType(getNamedType(field.type)) && !TILLGATE_COST_MODEL.valueTypes.has(getNamedType(field.type).name);
        if (!isListType(getNullableType(field.type)) || !holdsRows || isPage) continue;
        if (!(key in TILLGATE_COST_MODEL.listCaps) && !UNCAPPED_LISTS.includes(key)) unaccounted.push(key);
      }
    }
    expect(unaccounted).toEqual([]);
  });

  it('when the realistic documents are measured, then each fits the default budget with the cost its rows explain', () => {
    const myOrders = `{ me { orders(first: 50) { nodes { id totals { total ${MONEY} amountDue ${MONEY} } shippingAddress { city }
      lines { id sku quantity unitPrice ${MONEY} total ${MONEY} } payments { id kind amount ${MONEY} } } pageInfo { hasNextPage } } } }`;
    const catalog = `{ products(first: 100) { nodes { id name seller { name } variants { id sku price ${MONEY} available } } pageInfo { hasNextPage } } }`;
    // me 1 + 50 orders x (order 1 + lines 100 + payments 2); totals, money and the address are free
    expect(costOf(myOrders)).toBe(1 + 50 * 103);
    // 100 products x (product 1 + seller 1 + variants 50)
    expect(costOf(catalog)).toBe(100 * 52);
    // a mutation 20 + the order 1 + the payment 1; the confirmation, errors, shortfalls and price changes are values
    expect(costOf(CONFIRM_CHECKOUT)).toBe(22);
    // a mutation 20 + the cart 1
    expect(costOf(START_CHECKOUT)).toBe(21);
  });

  it('when a document could load more than about 10,000 rows, then the default refuses it', () => {
    const orderPageWithVariants = `{ orders(first: 100) { nodes { lines { variant { product { id } } } } } }`;
    // 100 orders x (1 + 100 lines x (line 1 + variant 1 + product 1))
    expect(costOf(orderPageWithVariants)).toBe(100 * 301);
    expect(costOf(orderPageWithVariants)).toBeGreaterThan(defaults.maxCost);
  });
});
