/** What the portal is told at start, from `/config.json` beside it: written by dewy-local
 * locally and by the deploy step in AWS, so one build runs against either. */
export interface PortalConfig {
  /** The REST API's base URL without a trailing slash; "" when it is the portal's own origin. */
  apiUrl: string;
  /** The OpenID Connect issuer (Cognito's user pool, or the local issuer). */
  authority: string;
  /** The web app client: public, authorization code with PKCE. */
  clientId: string;
  /** The scopes the portal asks for. */
  scope: string;
  /** Cognito's logout endpoint, taking `client_id` and `logout_uri`. */
  logoutUrl: string;
}

export async function loadConfig(): Promise<PortalConfig> {
  const response = await fetch("/config.json", { cache: "no-store" });
  if (!response.ok) {
    throw new Error(`/config.json answered ${response.status}`);
  }
  const config = (await response.json()) as Partial<PortalConfig>;
  for (const key of ["authority", "clientId", "scope", "logoutUrl"] as const) {
    if (typeof config[key] !== "string" || config[key] === "") {
      throw new Error(`/config.json has no ${key}`);
    }
  }
  return { apiUrl: "", ...config } as PortalConfig;
}
