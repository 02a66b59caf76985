import { Link, NavLink, Route, Routes } from "react-router";
import { useAuth } from "react-oidc-context";
import type { PortalConfig } from "./lib/config";
import { SessionProvider, useOptionalSession, type Persona } from "./lib/session";
import GuestDashboard from "./guest/Dashboard";
import GuestServices from "./guest/Services";
import GuestBilling from "./guest/Billing";
import GuestRoomControls from "./guest/RoomControls";
import StaffDashboard from "./manager/Dashboard";
import FrontDesk from "./manager/FrontDesk";
import Maintenance from "./manager/Maintenance";
import Rooms from "./manager/Rooms";

const NAV: Record<"guest" | "staff", { to: string; label: string }[]> = {
  guest: [
    { to: "/", label: "Dashboard" },
    { to: "/services", label: "Services" },
    { to: "/billing", label: "Billing" },
    { to: "/room-controls", label: "Room controls" },
  ],
  staff: [
    { to: "/", label: "Dashboard" },
    { to: "/front-desk", label: "Front desk" },
    { to: "/maintenance", label: "Maintenance" },
    { to: "/rooms", label: "Rooms" },
  ],
};

export function App({ config }: { config: PortalConfig }) {
  const auth = useAuth();
  if (auth.isLoading || auth.activeNavigator) {
    return <Splash message="Signing in…" />;
  }
  if (auth.error) {
    return (
      <Splash message={`Sign-in failed: ${auth.error.message}`} alert>
        <button type="button" className="primary" onClick={() => void auth.signinRedirect()}>
          Sign in again
        </button>
      </Splash>
    );
  }
  if (!auth.isAuthenticated) {
    return (
      <Splash message="Guests see their stay, their bill and their room; staff run the hotel.">
        <button
          type="button"
          className="primary"
          onClick={() => void auth.signinRedirect({ state: window.location.pathname })}
        >
          Sign in
        </button>
      </Splash>
    );
  }
  return (
    <SessionProvider config={config}>
      <SignedIn />
    </SessionProvider>
  );
}

function SignedIn() {
  const session = useOptionalSession();
  const auth = useAuth();
  if (!session) {
    return (
      <Splash message="This account has no role in the portal (it is in no guest, staff or manager group)." alert>
        <button type="button" onClick={() => void auth.removeUser()}>
          Sign out
        </button>
      </Splash>
    );
  }
  const side = navFor(session.persona);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Dewy Resort <span className="persona">{side === "guest" ? "Guest portal" : "Staff portal"}</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV[side].map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>{session.email}</span>
          <button type="button" onClick={session.signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {side === "guest" ? (
          <Routes>
            <Route index element={<GuestDashboard />} />
            <Route path="services" element={<GuestServices />} />
            <Route path="billing" element={<GuestBilling />} />
            <Route path="room-controls" element={<GuestRoomControls />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        ) : (
          <Routes>
            <Route index element={<StaffDashboard />} />
            <Route path="front-desk" element={<FrontDesk />} />
            <Route path="maintenance" element={<Maintenance />} />
            <Route path="rooms" element={<Rooms />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        )}
      </main>
    </>
  );
}

function navFor(persona: Persona): "guest" | "staff" {
  return persona === "guest" ? "guest" : "staff";
}

function Splash({ message, alert, children }: { message: string; alert?: boolean; children?: React.ReactNode }) {
  return (
    <main className="signin">
      <h1>Dewy Resort</h1>
      <p role={alert ? "alert" : undefined}>{message}</p>
      {children}
    </main>
  );
}

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the dashboard</Link>
      </p>
    </>
  );
}
