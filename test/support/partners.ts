import { CreatePartnerDocument, IssuePartnerKeyDocument, RevokePartnerKeyDocument } from '../generated/graphql';
import type { TestApp } from './test-app';
import { typedClient } from './typed-client';

/** An admin's view of partners: create one, issue and revoke its keys, over real HTTP. */
export async function partnerAdmin(app: TestApp) {
  const admin = typedClient(app, { token: await app.adminToken() });
  return {
    async createPartner(name: string): Promise<string> {
      return (await admin.data(CreatePartnerDocument, { input: { name } })).createPartner.id;
    },
    async issueKey(partnerId: string): Promise<{ id: string; prefix: string; secret: string }> {
      const { issuePartnerKey } = await admin.data(IssuePartnerKeyDocument, { input: { partnerId } });
      return { id: issuePartnerKey.key.id, prefix: issuePartnerKey.key.prefix, secret: issuePartnerKey.secret };
    },
    async revokeKey(keyId: string): Promise<void> {
      await admin.data(RevokePartnerKeyDocument, { input: { keyId } });
    },
  };
}
