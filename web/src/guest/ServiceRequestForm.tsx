import { useId, useState, type FormEvent } from "react";
import { ErrorNotice, Confirmation } from "../lib/ErrorNotice";
import { useAction } from "../lib/useAction";
import { CASE_PRIORITIES, CASE_TYPES, type CasePriority, type CaseType, type FiledRequest, type GuestRoom } from "./types";

/** The service tool asks for a description; ten characters is the least that says what is needed. */
const MIN_DESCRIPTION = 10;

interface Props {
  /** The rooms the guest may file for: those of their current and upcoming stays. */
  rooms: GuestRoom[];
  initialType: CaseType;
  onFiled(): void;
}

/** Files a request through `submit_guest_service_request`; the description is checked here first
 * so the guest is told what is missing before anything is sent. */
export function ServiceRequestForm({ rooms, initialType, onFiled }: Props) {
  const id = useId();
  const file = useAction<{ room_number: string; type: CaseType; priority: CasePriority; description: string }, FiledRequest>("submit_guest_service_request", (request, sent) => {
    setFiled({ request, type: sent.type, description: sent.description });
    setDescription("");
    onFiled();
  });
  const [type, setType] = useState<CaseType>(initialType);
  const [priority, setPriority] = useState<CasePriority>("Medium");
  const [room, setRoom] = useState(rooms[0]?.room_number ?? "");
  const [description, setDescription] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [filed, setFiled] = useState<{ request: FiledRequest; type: CaseType; description: string } | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const text = description.trim();
    if (text.length < MIN_DESCRIPTION) {
      setProblem(`Please describe what you need in at least ${MIN_DESCRIPTION} characters.`);
      return;
    }
    setProblem(null);
    setFiled(null);
    void file.run({ room_number: room, type, priority, description: text });
  }

  const describedBy = problem ? `${id}-hint ${id}-problem` : `${id}-hint`;
  return (
    <form onSubmit={submit} noValidate>
      <div className="form-row inline">
        <div>
          <label htmlFor={`${id}-type`}>Type of request</label>
          <select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value as CaseType)}>
            {CASE_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-priority`}>Priority</label>
          <select id={`${id}-priority`} value={priority} onChange={(e) => setPriority(e.target.value as CasePriority)}>
            {CASE_PRIORITIES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-room`}>Room</label>
          <select id={`${id}-room`} value={room} onChange={(e) => setRoom(e.target.value)}>
            {rooms.map((r) => (
              <option key={r.booking_number} value={r.room_number ?? ""}>
                {r.room_number} ({r.booking_status})
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-row">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea
          id={`${id}-description`}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={problem ? true : undefined}
          maxLength={2000}
        />
        <p className="hint" id={`${id}-hint`}>
          At least {MIN_DESCRIPTION} characters, e.g. “Two extra bath towels, please”.
        </p>
        {problem && (
          <p className="field-error" id={`${id}-problem`} role="alert">
            {problem}
          </p>
        )}
      </div>
      {file.error && <ErrorNotice error={file.error} onRetry={() => void file.retry()} retrying={file.pending} />}
      {filed && (
        <Confirmation>
          <p>
            {filed.type} request {filed.request.case_number} filed for room {filed.request.room_number}
            {filed.request.status ? ` (status ${filed.request.status})` : ""}: “{filed.description}”
          </p>
        </Confirmation>
      )}
      <button type="submit" className="primary" disabled={file.pending}>
        {file.pending ? "Sending…" : "Send request"}
      </button>
    </form>
  );
}
