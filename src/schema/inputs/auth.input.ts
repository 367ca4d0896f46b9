import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from '../../services/auth/auth.service';

@InputType()
export class SignUpInput {
  @Field() @MaxLength(MAX_EMAIL_LENGTH) email!: string;
  @Field() @MaxLength(MAX_PASSWORD_LENGTH) password!: string;
}

@InputType()
export class LogInInput {
  @Field() @MaxLength(MAX_EMAIL_LENGTH) email!: string;
  @Field() @MaxLength(MAX_PASSWORD_LENGTH) password!: string;
}
