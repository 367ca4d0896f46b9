import { FormDecodingError, canonicalJson, decodeForm } from '../../tools/stripe-emulator/form-decoding';

describe('Stripe emulator: form decoding', () => {
  it('when keys use bracket notation, then nested hashes and indexed arrays are built', () => {
    const decoded = decodeForm(
      'metadata[order_id]=ord_1&line_items[1][quantity]=2&line_items[0][price_data][currency]=usd&line_items[0][quantity]=1&line_items[1][price_data][currency]=eur',
    );

    expect(decoded).toEqual({
      metadata: { order_id: 'ord_1' },
      line_items: [
        { price_data: { currency: 'usd' }, quantity: '1' },
        { price_data: { currency: 'eur' }, quantity: '2' },
      ],
    });
  });

  it('when keys and values are percent-encoded or use +, then they are decoded', () => {
    expect(decodeForm('metadata%5Bnote%5D=hello+world%21&expand[]=latest_charge&expand[]=customer')).toEqual({
      metadata: { note: 'hello world!' },
      expand: ['latest_charge', 'customer'],
    });
  });

  it('when a name is both a value and a hash, then decoding fails', () => {
    expect(() => decodeForm('metadata=x&metadata[a]=1')).toThrow(FormDecodingError);
    expect(() => decodeForm('metadata[a]=1&metadata=x')).toThrow(FormDecodingError);
  });

  it('when a key is __proto__, then it is kept as plain data', () => {
    const decoded = decodeForm('metadata[__proto__]=x');

    expect(Object.keys(decoded.metadata as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('when two parameter sets differ only in key order, then their canonical forms are equal', () => {
    expect(canonicalJson(decodeForm('a=1&b[y]=2&b[x]=3'))).toBe(canonicalJson(decodeForm('b[x]=3&a=1&b[y]=2')));
    expect(canonicalJson(decodeForm('a=1'))).not.toBe(canonicalJson(decodeForm('a=2')));
  });
});
