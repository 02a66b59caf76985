import type { ReactNode } from "react";
import { Link, Navigate, NavLink, Route, Routes } from "react-router";
import { useAuth } from "react-oidc-context";
import type { PortalConfig } from "./lib/config";
import { SessionProvider, STAFF_JOBS, useOptionalSession, type Persona } from "./lib/session";
import GuestDashboard from "./guest/Dashboard";
import GuestServices from "./guest/Services";
import GuestBilling from "./guest/Billing";
import GuestRoomControls from "./guest/RoomControls";
import StaffDashboard from "./manager/Dashboard";
import FrontDesk from "./manager/FrontDesk";
import Maintenance from "./manager/Maintenance";
import Rooms from "./manager/Rooms";

/** A page of the portal and the jobs it serves: it is shown to a user who holds one of them (the
 * tools it calls are ones those jobs may call). */
interface PortalPage {
  to: string;
  label: string;
  element: ReactNode;
  jobs: Persona[];
}

const GUEST_PAGES: PortalPage[] = [
  { to: "/", label: "Dashboard", element: <GuestDashboard />, jobs: ["guest"] },
  { to: "/services", label: "Services", element: <GuestServices />, jobs: ["guest"] },
  { to: "/billing", label: "Billing", element: <GuestBilling />, jobs: ["guest"] },
  { to: "/room-controls", label: "Room controls", element: <GuestRoomControls />, jobs: ["guest"] },
];

const STAFF_PAGES: PortalPage[] = [
  { to: "/", label: "Dashboard", element: <StaffDashboard />, jobs: ["staff"] },
  { to: "/front-desk", label: "Front desk", element: <FrontDesk />, jobs: ["staff"] },
  { to: "/maintenance", label: "Maintenance", element: <Maintenance />, jobs: ["maintenance"] },
  { to: "/rooms", label: "Rooms", element: <Rooms />, jobs: ["housekeeping", "maintenance"] },
];

/** The pages for a user's personas: staff pages for anyone holding a staff job, else a guest's. */
function pagesFor(personas: Persona[]): { side: "guest" | "staff"; pages: PortalPage[] } {
  if (!personas.some((p) => STAFF_JOBS.includes(p))) return { side: "guest", pages: GUEST_PAGES };
  return { side: "staff", pages: STAFF_PAGES.filter((page) => page.jobs.some((job) => personas.includes(job))) };
}

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
      <Splash
        message="This account has no role in the portal (it is in no guest, staff, housekeeping, maintenance or manager group)."
        alert
      >
        <button type="button" onClick={() => void auth.removeUser()}>
          Sign out
        </button>
      </Splash>
    );
  }
  const { side, pages } = pagesFor(session.personas);
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
            {pages.map((item) => (
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
        <Routes>
          {pages.map((page) => (
            <Route key={page.to} path={page.to} element={page.element} />
          ))}
          {/* A job without the dashboard starts on its first page. */}
          {pages[0].to !== "/" && <Route index element={<Navigate to={pages[0].to} replace />} />}
          <Route path="*" element={<NotFound />} />
        </Routes>
      </main>
    </>
  );
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
