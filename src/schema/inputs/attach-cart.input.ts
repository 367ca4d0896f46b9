import { MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class AttachCartInput {
  // Ids are UUIDs: a longer string is refused as input, a short malformed one answers NOT_FOUND (as the cart inputs do).
  @Field(() => ID, { description: "A guest cart; it moves into the signed-in customer's account (merged with an open cart of the same currency)." })
  @MaxLength(64)
  cartId!: string;
}
