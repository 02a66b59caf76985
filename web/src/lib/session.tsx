import { createContext, useCallback, useContext, useMemo, type ReactNode } from "react";
import { useAuth } from "react-oidc-context";
import { callTool } from "./api";
import type { PortalConfig } from "./config";
import type { ToolName } from "./tools.generated";

/** The jobs the portal shows pages for: the token's `cognito:groups`, as the API reads them. */
export type Persona = "guest" | "staff" | "housekeeping" | "maintenance" | "manager";

const PERSONAS: readonly Persona[] = ["guest", "staff", "housekeeping", "maintenance", "manager"];
/** The staff jobs; a manager holds them all, as the API decides. */
export const STAFF_JOBS: readonly Persona[] = ["staff", "housekeeping", "maintenance"];

export interface Session {
  email: string;
  /** The user's personas, a manager's staff jobs included; never empty. */
  personas: Persona[];
  /** Calls a tool with the signed-in user's current access token. */
  call<T>(tool: ToolName, input: object): Promise<T>;
  signOut(): void;
}

/** The personas a token's groups grant, in a fixed order; unknown groups are ignored. */
export function personasOf(groups: unknown): Persona[] {
  const list: unknown[] = Array.isArray(groups) ? [...groups] : [];
  if (list.includes("manager")) list.push(...STAFF_JOBS);
  return PERSONAS.filter((persona) => list.includes(persona));
}

const SessionContext = createContext<Session | null>(null);

/** Provides the {@link Session} of the signed-in user to the pages below it. */
export function SessionProvider({ config, children }: { config: PortalConfig; children: ReactNode }) {
  const auth = useAuth();
  const user = auth.user;
  const signOut = useCallback(() => {
    // Tokens live only in memory: forgetting them here, then ending the issuer's session.
    void auth.removeUser().then(() => {
      const url = new URL(config.logoutUrl);
      url.searchParams.set("client_id", config.clientId);
      url.searchParams.set("logout_uri", `${window.location.origin}/`);
      window.location.assign(url.toString());
    });
  }, [auth, config]);
  const session = useMemo<Session | null>(() => {
    if (!user) return null;
    const personas = personasOf(user.profile["cognito:groups"]);
    if (personas.length === 0) return null;
    return {
      email: String(user.profile.email ?? ""),
      personas,
      // The token is read when the call is made: it may have been refreshed since the page loaded.
      call: <T,>(tool: ToolName, input: object) => callTool<T>(config.apiUrl, auth.user?.access_token ?? user.access_token, tool, input),
      signOut,
    };
  }, [user, config, signOut, auth.user]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The signed-in user's session; only pages rendered after sign-in call this. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in page");
  return session;
}

export function useOptionalSession(): Session | null {
  return useContext(SessionContext);
}
