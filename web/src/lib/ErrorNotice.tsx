import type { ApiError } from "./api";

/** The API's error as it came: its code and message, and a Retry button where the code says
 * sending the same request again can help. */
export function ErrorNotice({ error, onRetry, retrying }: { error: ApiError; onRetry?: () => void; retrying?: boolean }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong className="error-code">{error.code}</strong> {error.message}
      </p>
      {error.retryable && onRetry && (
        <button type="button" onClick={onRetry} disabled={retrying}>
          {retrying ? "Retrying…" : "Retry"}
        </button>
      )}
    </div>
  );
}

/** A confirmation announced to screen readers as well as shown. */
export function Confirmation({ children }: { children: React.ReactNode }) {
  return (
    <div className="notice notice-ok" role="status">
      {children}
    </div>
  );
}
