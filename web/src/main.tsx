import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { InMemoryWebStorage, WebStorageStateStore, type UserManagerSettings } from "oidc-client-ts";
import { AuthProvider } from "react-oidc-context";
import { BrowserRouter } from "react-router";
import { App } from "./App";
import { loadConfig, type PortalConfig } from "./lib/config";
import "./styles.css";

/** OpenID Connect authorization code with PKCE, the same against Cognito and the local issuer.
 * Tokens are kept in memory only (never in web storage) and refreshed with the refresh token a
 * minute before they expire; only the short-lived PKCE state of a sign-in in progress is kept
 * in sessionStorage, since it must outlive the redirect to the sign-in page. */
function authSettings(config: PortalConfig): UserManagerSettings {
  return {
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: `${window.location.origin}/`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    scope: config.scope,
    response_type: "code",
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: true,
    loadUserInfo: false,
  };
}

/** After the sign-in redirect: drop `code` and `state` from the address, back to the page the
 * person asked for. */
function onSigninCallback(user: { state?: unknown } | void) {
  const returnTo = typeof user?.state === "string" && user.state.startsWith("/") ? user.state : "/";
  window.history.replaceState({}, document.title, returnTo);
}

const root = createRoot(document.getElementById("root")!);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <AuthProvider {...authSettings(config)} onSigninCallback={onSigninCallback}>
          <BrowserRouter>
            <App config={config} />
          </BrowserRouter>
        </AuthProvider>
      </StrictMode>,
    ),
  (error: unknown) =>
    root.render(
      <main className="signin">
        <h1>Dewy Resort</h1>
        <p role="alert">The portal could not load its configuration: {String(error)}</p>
      </main>,
    ),
);
