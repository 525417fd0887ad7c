// A real OpenID Connect provider for the tests (npm oidc-provider), on the port given, with one
// client whose redirect URI is given. Anyone may log in as any name at its development login
// form; "<name>" gets the e-mail "<name>@example.com" (or the name itself when it is an address).
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
const provider = new Provider(`http://localhost:${port}`, {
  clients: [{
    client_id: 'pairwise',
    client_secret: 'pairwise-test-secret',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id.includes('@') ? id : `${id}@example.com`, email_verified: true, name: id.split('@')[0] };
      },
    };
  },
  // First-party client: no consent screen.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['pairwise-tests'] },
});
provider.listen(Number(port), () => console.log(JSON.stringify({ ready: Number(port) })));
