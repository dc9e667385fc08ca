// An OpenID Connect provider for the sign-in tests (tests/test_oidc.py): panva's certified
// oidc-provider (npm, pinned in tests/browser/package.json), started by tests/oidc_server.py.
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG.json: {"port": 4011, "client_id": "...", "client_secret": "...",
//               "redirect_uri": "http://127.0.0.1:8000/sign-in/oidc/callback",
//               "accounts": "accounts.json"}
// accounts.json: {"anna": {"preferred_username": "anna", "groups": ["..."], "school": "..."}}
// is read at every sign-in, so a test can take a user out of a group between two sign-ins.
// The login page is oidc-provider's own development page (any password); consent is given
// at once. PKCE (S256) is required for the client; codes are single-use (the provider's own).
import { readFileSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { createRequire } from 'node:module';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(resolve(dirname(new URL(import.meta.url).pathname),
  '../browser/package.json'));
const { default: Provider } = await import(require.resolve('oidc-provider'));

const issuer = `http://127.0.0.1:${config.port}`;
const accountsFile = resolve(dirname(process.argv[2]), config.accounts);

function accounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: [config.redirect_uri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'groups'],
  claims: { openid: ['sub'], profile: ['preferred_username', 'name'], groups: ['groups', 'school'] },
  conformIdTokenClaims: false, // the scopes' claims in the ID token, as Entra ID sends groups
  cookies: { keys: ['strategistatus-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  ttl: { AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Interaction: 600, Session: 600,
    Grant: 600 },
  async findAccount(_ctx, id) {
    const claims = accounts()[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  async loadExistingGrant(ctx) { // consent is given at once: a municipality's own app
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile groups');
    grant.addOIDCClaims(['preferred_username', 'name', 'groups', 'school']);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
provider.on('server_error', (_ctx, err) => console.error('server_error', err));
provider.listen(config.port, '127.0.0.1', () => console.log(`listening ${issuer}`));
