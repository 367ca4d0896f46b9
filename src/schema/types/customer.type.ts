import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Role, type Customer } from '../../entities';

registerEnumType(Role, { name: 'Role' });

@ObjectType('Customer')
export class CustomerType {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field(() => Role) role!: Role;

  static from(customer: Customer): CustomerType {
    return Object.assign(new CustomerType(), { id: customer.id, email: customer.email, role: customer.role });
  }
}

@ObjectType()
export class AuthPayload {
  @Field({ description: 'Bearer token for the Authorization header.' })
  token!: string;

  @Field(() => CustomerType)
  customer!: CustomerType;
}
