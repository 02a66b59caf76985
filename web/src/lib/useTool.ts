import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "./api";
import { useSession } from "./session";
import type { ToolName } from "./tools.generated";

export interface ToolRead<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  /** Reads again (after a write, or from a Refresh or Retry button). */
  reload(): void;
}

/** Reads `tool` with `input` when the page shows and whenever `input` changes; `null` input waits.
 * An answer that arrives after a newer request started is dropped. */
export function useTool<T>(tool: ToolName, input: object | null): ToolRead<T> {
  const { call } = useSession();
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: input !== null });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const key = input === null ? null : JSON.stringify(input);

  useEffect(() => {
    if (key === null) {
      setState({ loading: false });
      return;
    }
    const request = ++latest.current;
    setState((previous) => ({ data: previous.data, loading: true }));
    call<T>(tool, JSON.parse(key) as object).then(
      (data) => request === latest.current && setState({ data, loading: false }),
      (error: unknown) =>
        request === latest.current &&
        setState({ error: error instanceof ApiError ? error : new ApiError(0, "CLIENT_ERROR", String(error)), loading: false }),
    );
  }, [call, tool, key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
