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
    // 100 products x (product 1 + variants 50), + 1 for the one read of their sellers (joined on catalog pages)
    expect(costOf(catalog)).toBe(100 * 51 + 1);
    // a mutation 20 + the order 1 + the payment 1; the confirmation, errors, shortfalls and price changes are values
    expect(costOf(CONFIRM_CHECKOUT)).toBe(22);
    // a mutation 20 + the cart 1
    expect(costOf(START_CHECKOUT)).toBe(21);
  });

  it('when an order history links each line to its variant, then the variant costs no row per line: by id nothing, with its fields one read', () => {
    const history = (variant: string) => `{ me { orders(first: 50) { nodes { id totals { total ${MONEY} }
      lines { id sku quantity total ${MONEY} variant { ${variant} } } payments { id kind amount ${MONEY} } } } } }`;
    // me 1 + 50 orders x (order 1 + lines 100 + payments 2): the line holds the variant's id
    expect(costOf(history('id'))).toBe(1 + 50 * 103);
    // the same, + 1 for the one statement that reads every line's variant, + 1 for their products
    expect(costOf(history('id sku name price { amount } product { name }'))).toBe(1 + 50 * 103 + 2);
  });

  it('when nested lists fan out under references, then the default refuses the document with its cost', () => {
    const fanOut = `{ orders(first: 50) { nodes { lines { variant { product { variants { id } } } } } } }`;
    // 50 orders x (1 + 100 lines x (line 1 + 50 variants of its product)), + 1 read of the lines' variants + 1 of their products
    expect(costOf(fanOut)).toBe(50 * (1 + 100 * 51) + 2);
    expect(costOf(fanOut)).toBeGreaterThan(defaults.maxCost);
  });

  it('when a reference is declared answered by id or batched, then it is a to-one field of a row type', () => {
    for (const key of [...TILLGATE_COST_MODEL.idsOnParent, ...TILLGATE_COST_MODEL.batchedReferences]) {
      const [typeName, fieldName] = key.split('.');
      const type = schema.getType(typeName);
      const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
      const isToOneRow =
        field !== undefined &&
        !isListType(getNullableType(field.type)) &&
        isObjectType(getNamedType(field.type)) &&
        !TILLGATE_COST_MODEL.valueTypes.has(getNamedType(field.type).name);
      expect(isToOneRow ? key : `${key} is not a to-one reference to a row`).toBe(key);
    }
  });
});
