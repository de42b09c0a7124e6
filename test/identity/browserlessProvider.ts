import type { OAuthClientProvider } from "@modelcontextprotocol/client";

/**
 * An OAuth client as a user runs it, for the SDK's own auth flow in tests: a pre-registered public
 * client (Entra has no dynamic registration) that keeps its tokens and PKCE verifier; instead of
 * opening a browser it records the authorize URL, which the test then follows.
 */
export class BrowserlessProvider implements OAuthClientProvider {
    authorizationUrl?: URL;
    private verifier = "";
    private stored?: { access_token: string; token_type: string };
    constructor(
        private readonly clientId: string,
        readonly redirectUrl: string,
        private readonly clientName = "sign-in test",
    ) {}
    get clientMetadata() {
        return { redirect_uris: [this.redirectUrl], client_name: this.clientName, token_endpoint_auth_method: "none", grant_types: ["authorization_code"], response_types: ["code"] };
    }
    clientInformation() {
        return { client_id: this.clientId };
    }
    tokens() {
        return this.stored;
    }
    saveTokens(tokens: { access_token: string; token_type: string }) {
        this.stored = tokens;
    }
    redirectToAuthorization(url: URL) {
        this.authorizationUrl = url;
    }
    saveCodeVerifier(v: string) {
        this.verifier = v;
    }
    codeVerifier() {
        return this.verifier;
    }
}
