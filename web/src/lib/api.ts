import { TOOLS, type ToolName } from "./tools.generated";

/** A failed call, as the API answered it: its HTTP status, error code and message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The API says so in `details.retryable` (busy, in progress, a backend unavailable or slow);
   * a request that never got an answer may be sent again too, with the same idempotency token. */
  get retryable(): boolean {
    return this.details.retryable === true || this.status === 0;
  }
}

/** `POST {apiUrl}/api/<tool>` with the caller's access token. Resolves to the tool's output,
 * or rejects with an {@link ApiError}, including for a network failure (status 0). */
export async function callTool<T>(apiUrl: string, token: string, tool: ToolName, input: object): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${TOOLS[tool].path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(input),
    });
  } catch {
    throw new ApiError(0, "NETWORK_ERROR", "The hotel's service could not be reached. Check your connection and try again.");
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status, "BAD_RESPONSE", `The service answered ${response.status} without a readable body.`, {
      retryable: response.status >= 500,
    });
  }
  if (!response.ok) {
    const error = (body ?? {}) as { error_code?: string; error_message?: string; message?: string; details?: Record<string, unknown> };
    throw new ApiError(
      response.status,
      error.error_code ?? `HTTP_${response.status}`,
      error.error_message ?? error.message ?? `The service answered ${response.status}.`,
      { ...(error.details ?? {}), ...(response.status === 503 ? { retryable: true } : {}) },
    );
  }
  return body as T;
}
