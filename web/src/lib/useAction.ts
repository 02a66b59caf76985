import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "./api";
import { useSession } from "./session";
import { TOOLS, type ToolName } from "./tools.generated";

export interface Action<I, T> {
  /** Starts the action: a new idempotency token, then the call. Ignored while one is pending,
   * so a double click writes once. */
  run(input: I): Promise<T | undefined>;
  /** Sends the failed action again with the same input and the same idempotency token, so the
   * hub answers with the first attempt's result if that one did land. */
  retry(): Promise<T | undefined>;
  pending: boolean;
  error?: ApiError;
  result?: T;
  reset(): void;
}

/** A user action that writes through `tool`. When the tool takes a client token
 * (`TOOLS[tool].token`, e.g. `idempotency_token`), one is made when the action starts and reused
 * on its retries; tools keyed by their fields are deduplicated by the hub from the input itself.
 * `onDone` gets each success with the input that was sent, whether the first attempt or a retry
 * brought it, so a page handles an outcome in one place. */
export function useAction<I extends object, T>(tool: ToolName, onDone?: (result: T, sent: I) => void): Action<I, T> {
  const { call } = useSession();
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  });
  const [state, setState] = useState<{ pending: boolean; error?: ApiError; result?: T }>({ pending: false });
  const inFlight = useRef<Promise<T | undefined> | null>(null);
  const last = useRef<object | null>(null);

  const send = useCallback(
    (body: object) => {
      if (inFlight.current) return inFlight.current;
      last.current = body;
      setState({ pending: true });
      const attempt = call<T>(tool, body).then(
        (result) => {
          setState({ pending: false, result });
          done.current?.(result, body as I);
          return result;
        },
        (error: unknown) => {
          const failure = error instanceof ApiError ? error : new ApiError(0, "CLIENT_ERROR", String(error));
          setState({ pending: false, error: failure });
          return undefined;
        },
      );
      inFlight.current = attempt.finally(() => {
        inFlight.current = null;
      });
      return inFlight.current;
    },
    [call, tool],
  );

  const run = useCallback(
    (input: I) => {
      if (inFlight.current) return inFlight.current;
      const field = TOOLS[tool].token;
      return send(field ? { ...input, [field]: crypto.randomUUID() } : input);
    },
    [send, tool],
  );
  const retry = useCallback(() => (last.current ? send(last.current) : Promise.resolve(undefined)), [send]);
  const reset = useCallback(() => {
    last.current = null;
    setState({ pending: false });
  }, []);
  return { run, retry, reset, ...state };
}
