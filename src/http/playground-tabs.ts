/**
 * The tabs the playground opens with (when the browser has no saved tabs): the
 * demo catalog, then a checkout step by step. Each step's variables name what
 * to copy from the step before; the comments say how to send the headers.
 */
export interface PlaygroundTab {
  query: string;
  variables?: string;
}

const vars = (value: unknown): string => JSON.stringify(value, null, 2);

const HEADERS_NOTE = `# Headers (the Headers tab below; they are kept across reloads):
#   signed in:   { "Authorization": "Bearer <token from LogIn or SignUp>" }
#   a partner:   { "X-Api-Key": "<your partner key>" }`;

export const PLAYGROUND_TABS: readonly PlaygroundTab[] = [
  {
    query: `# Tillgate: the demo catalog. Copy a variant id for AddCartLine.
${HEADERS_NOTE}

query Catalog {
  products(first: 5) {
    nodes { id name variants { id sku name price { amount currency } available } }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
  {
    query: `# 1. Sign in (or sign up), then put the token in the Headers tab:
#    { "Authorization": "Bearer <token>" }
# Cash on delivery needs a signed-in customer unless GUEST_COD is on.

mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    __typename
    ... on AuthPayload { token customer { id email role } }
    ... on UserError { errorCode message field }
  }
}

mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    __typename
    ... on AuthPayload { token customer { id email role } }
    ... on UserError { errorCode message field }
  }
}
`,
    variables: vars({ input: { email: 'buyer@example.com', password: 'choose-a-long-password' } }),
  },
  {
    query: `# 2. A cart. Copy its id into the next steps.
mutation CreateCart($input: CreateCartInput!) {
  createCart(input: $input) { id currency version totals { total { amount currency } } }
}
`,
    variables: vars({ input: { currency: 'EUR' } }),
  },
  {
    query: `# 3. A line, with a variant id from the Catalog tab.
mutation AddCartLine($input: AddCartLineInput!) {
  addCartLine(input: $input) {
    __typename
    ... on Cart { id version lines { id quantity variant { sku } total { amount currency } } totals { total { amount currency } } }
    ... on ErrorResult { errorCode message }
  }
}
`,
    variables: vars({ input: { cartId: '<cart id>', variantId: '<variant id>', quantity: 1 } }),
  },
  {
    query: `# 4. Where it goes.
mutation SetShippingAddress($input: SetShippingAddressInput!) {
  setShippingAddress(input: $input) { __typename ... on ErrorResult { errorCode message } }
}
`,
    variables: vars({
      input: { cartId: '<cart id>', address: { name: 'Erika Mustermann', line1: 'Heidestrasse 17', city: 'Köln', postalCode: '51147', country: 'DE' } },
    }),
  },
  {
    query: `# 5. How it goes: pick a method from ShippingMethods.
query ShippingMethods { shippingMethods(currency: "EUR") { id name price { amount currency } } }

mutation SetShippingMethod($input: SetShippingMethodInput!) {
  setShippingMethod(input: $input) { __typename ... on ErrorResult { errorCode message } }
}
`,
    variables: vars({ input: { cartId: '<cart id>', shippingMethodId: '<shipping method id>' } }),
  },
  {
    query: `# 6. Reserve the stock and get the versionKey to confirm with.
mutation StartCheckout($input: StartCheckoutInput!) {
  startCheckout(input: $input) {
    __typename
    ... on CheckoutPreview { versionKey reservationsExpireAt warnings cart { totals { total { amount currency } } } }
    ... on ErrorResult { errorCode message }
  }
}
`,
    variables: vars({ input: { cartId: '<cart id>' } }),
  },
  {
    query: `# 7. Place the order, cash on delivery. orderToken reads it back: orderByToken(token:).
mutation ConfirmCheckout($input: ConfirmCheckoutInput!) {
  confirmCheckout(input: $input) {
    __typename
    ... on CheckoutConfirmation { orderToken order { id number status totals { total { amount currency } } } }
    ... on ErrorResult { errorCode message }
  }
}
`,
    variables: vars({ input: { cartId: '<cart id>', versionKey: '<versionKey from StartCheckout>', paymentMethod: 'CASH_ON_DELIVERY' } }),
  },
];
