import { priceCart } from '../../../src/services/pricing/pricing-engine';
import type { PricingInput } from '../../../src/services/pricing/pricing-engine';
import { buildInput, buildLine, buildVoucher } from './pricing-builders';

const MAX = Number.MAX_SAFE_INTEGER;

describe('priceCart — hand-computed examples', () => {
  test('when several vouchers of every kind are given in any order, then percent applies before amount and credit is ignored', () => {
    const lines = [
      buildLine({ quantity: 2, unitPrice: 1250 }), // 2500
      buildLine({ quantity: 1, unitPrice: 3999 }), // 3999
      buildLine({ quantity: 3, unitPrice: 500 }), // 1500
    ];
    const input = buildInput({
      lines,
      vouchers: [
        buildVoucher({ code: 'FIVE', kind: 'AMOUNT_OFF', value: 500 }),
        buildVoucher({ code: 'GIFT', kind: 'CREDIT', value: 2000 }),
        buildVoucher({ code: 'SHIPFREE', kind: 'FREE_SHIPPING', value: 0 }),
        buildVoucher({ code: 'TEN', kind: 'PERCENT_OFF', value: 1000 }),
      ],
      shippingPrice: 495,
      taxRateBps: 2000,
    });

    const result = priceCart(input);

    // subtotal 7999; TEN: 799.9 -> 800, remaining 7199; FIVE: 500 -> discount 1300.
    // Allocation of 1300 over 2500/3999/1500 (Σ 7999): quotas 406.30, 649.92, 243.78 -> floors 406+649+243 = 1298,
    // the 2 leftover units go to the larger remainders (line 2, then line 3) -> 406, 650, 244.
    // Nets 2094, 3349, 1256; tax at 20%: 418.8 -> 419, 669.8 -> 670, 251.2 -> 251 = 1340. Shipping free, shipping tax 0.
    expect(result).toEqual({
      lines: [
        { ...lines[0], gross: 2500, discount: 406, net: 2094, tax: 419 },
        { ...lines[1], gross: 3999, discount: 650, net: 3349, tax: 670 },
        { ...lines[2], gross: 1500, discount: 244, net: 1256, tax: 251 },
      ],
      subtotal: 7999,
      discount: 1300,
      shipping: 495,
      shippingDiscount: 495,
      shippingTax: 0,
      tax: 1340,
      total: 8039, // 7999 - 1300 + 495 - 495 + 1340
      appliedVoucherCodes: ['TEN', 'FIVE', 'SHIPFREE'],
    });
  });

  test('when a percent and an amount voucher are combined, then the percent is taken from the full subtotal first', () => {
    const vouchers = [
      buildVoucher({ code: 'AAA-AMOUNT', kind: 'AMOUNT_OFF', value: 100 }),
      buildVoucher({ code: 'ZZZ-PERCENT', kind: 'PERCENT_OFF', value: 1000 }),
    ];
    // 10% of 1000 = 100, then 100 off = 200 (amount first would give 100 + 90 = 190).
    const result = priceCart(buildInput({ lines: [buildLine({ unitPrice: 1000 })], vouchers }));
    expect(result.discount).toBe(200);
    expect(result.appliedVoucherCodes).toEqual(['ZZZ-PERCENT', 'AAA-AMOUNT']);
  });

  test('when two percent vouchers of the same kind are given, then they apply by code and compound', () => {
    const vouchers = [buildVoucher({ code: 'B-HALF', kind: 'PERCENT_OFF', value: 5000 }), buildVoucher({ code: 'A-HALF', kind: 'PERCENT_OFF', value: 5000 })];
    // 1001: 500.5 -> 501 off, remaining 500; 250 off -> 751 (75%, never 100%).
    const result = priceCart(buildInput({ lines: [buildLine({ unitPrice: 1001 })], vouchers }));
    expect(result.discount).toBe(751);
    expect(result.appliedVoucherCodes).toEqual(['A-HALF', 'B-HALF']);
  });

  test('when same-kind percent vouchers would round differently in another order, then code order decides', () => {
    const quarter = buildVoucher({ code: 'A-QUARTER', kind: 'PERCENT_OFF', value: 2500 });
    const half = buildVoucher({ code: 'B-HALF', kind: 'PERCENT_OFF', value: 5000 });
    const lines = [buildLine({ unitPrice: 2 })];
    // By code: 25% of 2 = 0.5 -> 1, then 50% of 1 = 0.5 -> 1: discount 2 (the other order would give 1 + 0 = 1).
    expect(priceCart(buildInput({ lines, vouchers: [half, quarter] })).discount).toBe(2);
    expect(priceCart(buildInput({ lines, vouchers: [quarter, half] })).discount).toBe(2);
  });

  test('when discount, line tax and shipping tax each land on exactly .5, then each rounds up', () => {
    const line = buildLine({ quantity: 1, unitPrice: 1005 });
    const result = priceCart(
      buildInput({
        lines: [line],
        vouchers: [buildVoucher({ code: 'TEN', kind: 'PERCENT_OFF', value: 1000 })],
        shippingPrice: 8,
        taxRateBps: 625,
      }),
    );
    // discount 100.5 -> 101; net 904; tax 904 * 6.25% = 56.5 -> 57; shipping tax 8 * 6.25% = 0.5 -> 1.
    expect(result.lines).toEqual([{ ...line, gross: 1005, discount: 101, net: 904, tax: 57 }]);
    expect(result).toMatchObject({ discount: 101, shippingTax: 1, tax: 58, total: 970 }); // 1005 - 101 + 8 + 58
  });

  test('when equal lines share a discount that does not divide evenly, then earlier lines get the leftover units', () => {
    const lines = [buildLine({ unitPrice: 100 }), buildLine({ unitPrice: 100 }), buildLine({ unitPrice: 100 })];
    const oneVoucher = priceCart(buildInput({ lines, vouchers: [buildVoucher({ kind: 'AMOUNT_OFF', value: 100 })] }));
    const twoUnitsLeft = priceCart(buildInput({ lines, vouchers: [buildVoucher({ kind: 'AMOUNT_OFF', value: 200 })] }));
    expect(oneVoucher.lines.map((line) => line.discount)).toEqual([34, 33, 33]);
    expect(twoUnitsLeft.lines.map((line) => line.discount)).toEqual([67, 67, 66]);
  });

  test('when the cart has no lines, then merchandise figures are zero, vouchers are still listed and shipping is charged', () => {
    const result = priceCart(
      buildInput({
        lines: [],
        vouchers: [buildVoucher({ code: 'HALF', kind: 'PERCENT_OFF', value: 5000 })],
        shippingPrice: 500,
        taxRateBps: 2000,
      }),
    );
    expect(result).toEqual({
      lines: [],
      subtotal: 0,
      discount: 0,
      shipping: 500,
      shippingDiscount: 0,
      shippingTax: 100,
      tax: 100,
      total: 600,
      appliedVoucherCodes: ['HALF'],
    });
  });

  test('when some lines are free, then they get no discount and no tax', () => {
    const gift = buildLine({ quantity: 2, unitPrice: 0 });
    const item = buildLine({ quantity: 1, unitPrice: 1000 });
    const result = priceCart(buildInput({ lines: [gift, item], vouchers: [buildVoucher({ kind: 'AMOUNT_OFF', value: 300 })], taxRateBps: 1000 }));
    expect(result.lines).toEqual([
      { ...gift, gross: 0, discount: 0, net: 0, tax: 0 },
      { ...item, gross: 1000, discount: 300, net: 700, tax: 70 },
    ]);
    expect(result.total).toBe(770); // 1000 - 300 + 70
  });

  test('when every line is free, then an amount voucher takes nothing but is still listed', () => {
    const result = priceCart(
      buildInput({
        lines: [buildLine({ unitPrice: 0 }), buildLine({ quantity: 5, unitPrice: 0 })],
        vouchers: [buildVoucher({ code: 'FIVER', kind: 'AMOUNT_OFF', value: 500 })],
        taxRateBps: 2000,
      }),
    );
    expect(result).toMatchObject({ subtotal: 0, discount: 0, tax: 0, total: 0, appliedVoucherCodes: ['FIVER'] });
    expect(result.lines.map((line) => line.discount)).toEqual([0, 0]);
  });

  test('when a 100% voucher is followed by an amount voucher, then the merchandise is free and shipping is still taxed', () => {
    const result = priceCart(
      buildInput({
        lines: [buildLine({ quantity: 3, unitPrice: 333 }), buildLine({ quantity: 1, unitPrice: 1 })],
        vouchers: [buildVoucher({ code: 'MORE', kind: 'AMOUNT_OFF', value: 100 }), buildVoucher({ code: 'ALL', kind: 'PERCENT_OFF', value: 10000 })],
        shippingPrice: 500,
        taxRateBps: 2000,
      }),
    );
    expect(result.lines.map(({ gross, discount, net, tax }) => ({ gross, discount, net, tax }))).toEqual([
      { gross: 999, discount: 999, net: 0, tax: 0 },
      { gross: 1, discount: 1, net: 0, tax: 0 },
    ]);
    expect(result).toMatchObject({ subtotal: 1000, discount: 1000, shippingTax: 100, tax: 100, total: 600 });
    expect(result.appliedVoucherCodes).toEqual(['ALL', 'MORE']);
  });

  test('when amount vouchers exceed the subtotal, then the discount stops at the subtotal', () => {
    const result = priceCart(
      buildInput({
        lines: [buildLine({ quantity: 2, unitPrice: 450 })],
        vouchers: [buildVoucher({ code: 'BIG', kind: 'AMOUNT_OFF', value: 5000 }), buildVoucher({ code: 'BIGGER', kind: 'AMOUNT_OFF', value: 600 })],
        shippingPrice: 700,
        taxRateBps: 1000,
      }),
    );
    expect(result).toMatchObject({ subtotal: 900, discount: 900, shipping: 700, shippingDiscount: 0, shippingTax: 70 });
    expect(result.lines[0]).toMatchObject({ discount: 900, net: 0, tax: 0 });
    expect(result.total).toBe(770); // 900 - 900 + 700 + 70
    expect(result.appliedVoucherCodes).toEqual(['BIG', 'BIGGER']);
  });

  test('when free shipping is applied before a shipping method is chosen, then it discounts 0 and is still listed', () => {
    const result = priceCart(
      buildInput({
        lines: [buildLine({ unitPrice: 1000 })],
        vouchers: [buildVoucher({ code: 'SHIPFREE', kind: 'FREE_SHIPPING', value: 0 })],
        shippingPrice: null,
        taxRateBps: 2000,
      }),
    );
    expect(result).toMatchObject({ shipping: 0, shippingDiscount: 0, shippingTax: 0, tax: 200, total: 1200 });
    expect(result.appliedVoucherCodes).toEqual(['SHIPFREE']);
  });

  test('when two free-shipping vouchers are applied, then shipping is discounted once', () => {
    const result = priceCart(
      buildInput({
        lines: [buildLine({ unitPrice: 1000 })],
        vouchers: [buildVoucher({ code: 'SHIP-2', kind: 'FREE_SHIPPING', value: 0 }), buildVoucher({ code: 'SHIP-1', kind: 'FREE_SHIPPING', value: 0 })],
        shippingPrice: 500,
        taxRateBps: 2000,
      }),
    );
    expect(result).toMatchObject({ shipping: 500, shippingDiscount: 500, shippingTax: 0, total: 1200 });
    expect(result.appliedVoucherCodes).toEqual(['SHIP-1', 'SHIP-2']);
  });

  test('when only a credit voucher is given, then the price is the same as without it and it is not listed', () => {
    const base = buildInput({ lines: [buildLine({ unitPrice: 1234 })], shippingPrice: 300, taxRateBps: 1900 });
    const withCredit = priceCart({ ...base, vouchers: [buildVoucher({ kind: 'CREDIT', value: 5000 })] });
    expect(withCredit).toEqual(priceCart(base));
    expect(withCredit.appliedVoucherCodes).toEqual([]);
  });

  test('when a line near 2^53 is taxed on an exact half, then tax and total are exact where float math is off by one', () => {
    const line = buildLine({ quantity: 5, unitPrice: 1000000000000005 }); // gross 5000000000000025
    const result = priceCart(buildInput({ lines: [line], taxRateBps: 1000 }));
    // 10% of 5000000000000025 = 500000000000002.5 -> 500000000000003; float math rounds it to ...002.
    expect(Math.round((5000000000000025 * 1000) / 10000)).toBe(500000000000002);
    expect(result.lines[0]).toMatchObject({ gross: 5000000000000025, net: 5000000000000025, tax: 500000000000003 });
    expect(result.total).toBe(5500000000000028);
  });

  test('when a MAX_SAFE_INTEGER line gets 99.99% off, then the discount is exact', () => {
    const result = priceCart(
      buildInput({
        lines: [buildLine({ unitPrice: MAX })],
        vouchers: [buildVoucher({ kind: 'PERCENT_OFF', value: 9999 })],
      }),
    );
    // 9007199254740991 * 0.9999 = 9006298534815516.9009 -> ...517 (float gives ...516); 900719925474 remains.
    expect(result).toMatchObject({ subtotal: MAX, discount: 9006298534815517, total: 900719925474 });
  });

  test('when a discount near 2^53 is allocated, then every line gets exactly its share', () => {
    const result = priceCart(
      buildInput({
        lines: [buildLine({ unitPrice: 3 }), buildLine({ unitPrice: 9007199254740987 })],
        vouchers: [buildVoucher({ kind: 'PERCENT_OFF', value: 10000 })],
      }),
    );
    // 100% off: each quota is exactly its gross; float division gives the first line 2.
    expect(result.lines.map((line) => line.discount)).toEqual([3, 9007199254740987]);
    expect(result.total).toBe(0);
  });

  test.each([
    ['a line gross', buildInput({ lines: [buildLine({ quantity: 2, unitPrice: 2 ** 52 })] })],
    ['the subtotal', buildInput({ lines: [buildLine({ unitPrice: MAX }), buildLine({ unitPrice: 1 })] })],
    ['the total after tax', buildInput({ lines: [buildLine({ unitPrice: MAX })], taxRateBps: 1 })],
    ['the total after shipping', buildInput({ lines: [buildLine({ unitPrice: MAX })], shippingPrice: 1 })],
  ])('when %s would exceed MAX_SAFE_INTEGER, then it throws a RangeError', (_what, input) => {
    expect(() => priceCart(input)).toThrow(RangeError);
  });
});

describe('priceCart — input validation', () => {
  const invalid: Array<[string, PricingInput]> = [
    ['a zero quantity', buildInput({ lines: [buildLine({ quantity: 0 })] })],
    ['a fractional quantity', buildInput({ lines: [buildLine({ quantity: 1.5 })] })],
    ['a negative unit price', buildInput({ lines: [buildLine({ unitPrice: -1 })] })],
    ['a fractional unit price', buildInput({ lines: [buildLine({ unitPrice: 9.99 })] })],
    ['an unsafe unit price', buildInput({ lines: [buildLine({ unitPrice: MAX + 1 })] })],
    ['a NaN unit price', buildInput({ lines: [buildLine({ unitPrice: Number.NaN })] })],
    ['a negative shipping price', buildInput({ shippingPrice: -1 })],
    ['a fractional shipping price', buildInput({ shippingPrice: 4.95 })],
    ['a tax rate above 100%', buildInput({ taxRateBps: 10001 })],
    ['a negative tax rate', buildInput({ taxRateBps: -1 })],
    ['a fractional tax rate', buildInput({ taxRateBps: 19.6 })],
    ['a percent voucher above 100%', buildInput({ vouchers: [buildVoucher({ kind: 'PERCENT_OFF', value: 10001 })] })],
    ['a negative amount voucher', buildInput({ vouchers: [buildVoucher({ kind: 'AMOUNT_OFF', value: -100 })] })],
    ['a negative credit voucher', buildInput({ vouchers: [buildVoucher({ kind: 'CREDIT', value: -1 })] })],
    ['an empty voucher code', buildInput({ vouchers: [buildVoucher({ code: '' })] })],
    ['a voucher code given twice', buildInput({ vouchers: [buildVoucher({ code: 'SAME' }), buildVoucher({ code: 'SAME', kind: 'PERCENT_OFF' })] })],
    ['an unknown voucher kind', buildInput({ vouchers: [{ code: 'X', kind: 'BOGO' as unknown as 'CREDIT', value: 1 }] })],
  ];

  test.each(invalid)('when the input has %s, then it throws a RangeError', (_what, input) => {
    expect(() => priceCart(input)).toThrow(RangeError);
  });

  test('when the input is frozen, then pricing neither mutates nor depends on mutating it', () => {
    const input = buildInput({
      lines: [buildLine({ unitPrice: 100 }), buildLine({ unitPrice: 200 })],
      vouchers: [buildVoucher({ code: 'B' }), buildVoucher({ code: 'A', kind: 'PERCENT_OFF', value: 1000 })],
      shippingPrice: 50,
      taxRateBps: 2000,
    });
    const snapshot = structuredClone(input);
    const frozen = Object.freeze({
      ...input,
      lines: Object.freeze(input.lines.map((line) => Object.freeze(line))),
      vouchers: Object.freeze(input.vouchers.map((voucher) => Object.freeze(voucher))),
    }) as unknown as PricingInput;
    expect(priceCart(frozen)).toEqual(priceCart(snapshot));
    expect(input).toEqual(snapshot);
  });
});
