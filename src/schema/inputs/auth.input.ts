import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType()
export class SignUpInput {
  @Field() @MaxLength(320) email!: string;
  @Field() @MaxLength(200) password!: string;
}

@InputType()
export class LogInInput {
  @Field() @MaxLength(320) email!: string;
  @Field() @MaxLength(200) password!: string;
}
