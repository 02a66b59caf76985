import { dateTime } from "../lib/format";
import { Badge } from "../lib/Badge";
import { useEffect, useState, type FormEvent } from "react";
import { Confirmation, ErrorNotice } from "../lib/ErrorNotice";
import { Card, Page } from "../lib/Page";
import { useAction } from "../lib/useAction";
import { useSession } from "../lib/session";
import { useTool } from "../lib/useTool";
import { Loading, ScreenReaderOnly } from "./parts";
import { CASE_PRIORITIES, CASE_STATUSES, MAINTENANCE_TYPES, type CaseRow, type Cases, type Notification } from "./types";

interface Filters {
  type: string;
  status: string;
  priority: string;
}

/** The list's one read: `search_cases` with the filters chosen; with none ("All types", any
 * status and priority) the staff search, since `search_cases` refuses to list everything. */
function listRead(filters: Filters): { tool: "search_cases" | "search_cases_on_behalf_of_staff"; input: object } {
  const input = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ""));
  return Object.keys(input).length > 0 ? { tool: "search_cases", input } : { tool: "search_cases_on_behalf_of_staff", input: {} };
}

export default function Maintenance() {
  const [filters, setFilters] = useState<Filters>({ type: "Maintenance", status: "", priority: "" });
  const read = listRead(filters);
  const list = useTool<Cases>(read.tool, read.input);
  return (
    <Page title="Maintenance">
      <FileTask onFiled={list.reload} />
      <Card title="Tasks">
        <Filters filters={filters} onChange={setFilters} />
        {list.error && <ErrorNotice error={list.error} onRetry={list.reload} retrying={list.loading} />}
        {!list.data && list.loading && <Loading what="tasks" />}
        {list.data && <TaskTable cases={list.data.cases} onChanged={list.reload} />}
      </Card>
    </Page>
  );
}

interface MaintenanceInput {
  manager_email: string;
  room_number: string;
  type: string;
  priority: string;
  description: string;
}
interface Filed {
  case_number: string;
  room_number: string;
  room_status: string;
  status: string | null;
  created: boolean;
  notification: Notification;
}

/** `submit_maintenance_request`, reported by the signed-in person (their Contact must be a
 * Manager's); the hook adds the idempotency token, so a double click files one case. */
function FileTask({ onFiled }: { onFiled(): void }) {
  const { email } = useSession();
  const file = useAction<MaintenanceInput, Filed>("submit_maintenance_request");
  const [form, setForm] = useState({ room_number: "", type: "Maintenance", priority: "Medium", description: "" });
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  // Filed (first time, or on a retry): the form is emptied and the list read again.
  const whenFiled = (attempt: Promise<Filed | undefined>) =>
    void attempt.then((filed) => {
      if (!filed) return;
      setForm((f) => ({ ...f, room_number: "", description: "" }));
      onFiled();
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    whenFiled(file.run({ manager_email: email, ...form, room_number: form.room_number.trim() }));
  };
  return (
    <Card title="File a maintenance task">
      <form onSubmit={submit}>
        <div className="form-row inline">
          <div>
            <label htmlFor="task-room">Room number</label>
            <input id="task-room" value={form.room_number} onChange={set("room_number")} required inputMode="numeric" size={8} />
          </div>
          <div>
            <label htmlFor="task-type">Type</label>
            <select id="task-type" value={form.type} onChange={set("type")}>
              {MAINTENANCE_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="task-priority">Priority</label>
            <select id="task-priority" value={form.priority} onChange={set("priority")}>
              {CASE_PRIORITIES.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </div>
        </div>
        <div className="form-row">
          <label htmlFor="task-description">What is wrong</label>
          <textarea id="task-description" value={form.description} onChange={set("description")} required aria-describedby="task-description-hint" />
          <p className="hint" id="task-description-hint">
            The first 255 characters become the case's subject. Reported by {email}; the on-call number gets a text.
          </p>
        </div>
        <button type="submit" className="primary" disabled={file.pending}>
          {file.pending ? "Filing…" : "File task"}
        </button>
      </form>
      {file.error && <ErrorNotice error={file.error} onRetry={() => whenFiled(file.retry())} retrying={file.pending} />}
      {file.error?.code === "MANAGER_CONTACT_NOT_FOUND" && (
        <ReporterContact email={email} onCreated={() => whenFiled(file.retry())} />
      )}
      {file.result && (
        <Confirmation>
          <p>
            Case {file.result.case_number} {file.result.created ? "filed" : "was already filed"} for room {file.result.room_number} (room{" "}
            {file.result.room_status}), status {file.result.status ?? "—"}. On-call text: {file.result.notification.status}
            {file.result.notification.reason ? ` (${file.result.notification.reason})` : ""}.
          </p>
        </Confirmation>
      )}
    </Card>
  );
}

/** The refusal's first next step (`upsert_contact_by_email`, type Manager) for a reporter with no
 * Contact yet; then the same request again, with the same token, as the refusal says. */
function ReporterContact({ email, onCreated }: { email: string; onCreated(): void }) {
  const upsert = useAction<{ email: string; first_name: string; last_name: string; contact_type: string }, { contact_id: string }>(
    "upsert_contact_by_email",
  );
  const [names, setNames] = useState({ first_name: "", last_name: "" });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made = await upsert.run({ email, contact_type: "Manager", first_name: names.first_name.trim(), last_name: names.last_name.trim() });
    if (made) onCreated();
  };
  return (
    <form onSubmit={submit} aria-labelledby="reporter-heading">
      <h3 id="reporter-heading">Create your contact, then file the task</h3>
      <div className="form-row inline">
        <div>
          <label htmlFor="reporter-first">Your first name</label>
          <input id="reporter-first" value={names.first_name} onChange={(e) => setNames({ ...names, first_name: e.target.value })} required />
        </div>
        <div>
          <label htmlFor="reporter-last">Your last name</label>
          <input id="reporter-last" value={names.last_name} onChange={(e) => setNames({ ...names, last_name: e.target.value })} required />
        </div>
        <div className="mgr-submit">
          <button type="submit" disabled={upsert.pending}>
            Create contact and file
          </button>
        </div>
      </div>
      {upsert.error && <ErrorNotice error={upsert.error} onRetry={() => void upsert.retry()} retrying={upsert.pending} />}
    </form>
  );
}

function Filters({ filters, onChange }: { filters: Filters; onChange(f: Filters): void }) {
  const select = (field: keyof Filters, label: string, any: string, values: readonly string[]) => (
    <div className="form-row">
      <label htmlFor={`filter-${field}`}>{label}</label>
      <select id={`filter-${field}`} value={filters[field]} onChange={(e) => onChange({ ...filters, [field]: e.target.value })}>
        <option value="">{any}</option>
        {values.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    </div>
  );
  return (
    <form role="search" aria-label="Tasks" className="mgr-filters" onSubmit={(e) => e.preventDefault()}>
      {select("type", "Type", "All types", MAINTENANCE_TYPES)}
      {select("status", "Status", "Any status", CASE_STATUSES)}
      {select("priority", "Priority", "Any priority", CASE_PRIORITIES)}
    </form>
  );
}

interface CaseChange {
  idempotency_token: string;
  status?: string;
  priority?: string;
}
interface CaseChanged {
  case_number: string;
  status: string;
  previous_status: string;
  priority: string | null;
  updated: boolean;
}

/** The tasks, each with its status and priority to change through `update_case_status` (it
 * finds the case by its token and applies the case lifecycle; `manage_cases_orchestrator` would
 * create a case for an unknown token instead of refusing). */
function TaskTable({ cases, onChanged }: { cases: CaseRow[]; onChanged(): void }) {
  const update = useAction<CaseChange, CaseChanged>("update_case_status");
  const apply = (promise: Promise<unknown>) => void promise.then(onChanged);
  return (
    <>
      {update.error && <ErrorNotice error={update.error} onRetry={() => apply(update.retry())} retrying={update.pending} />}
      {update.result && (
        <Confirmation>
          <p>
            {update.result.updated
              ? `Case ${update.result.case_number}: ${update.result.previous_status} → ${update.result.status}, priority ${update.result.priority ?? "—"}.`
              : `Case ${update.result.case_number} already had these values; nothing changed.`}
          </p>
        </Confirmation>
      )}
      <p role="status" className="muted">
        {cases.length === 0 ? "No task matches these filters." : `${cases.length} ${cases.length === 1 ? "task" : "tasks"}, newest first.`}
      </p>
      {cases.length > 0 && (
        <div className="mgr-table-wrap">
          <table className="data">
            <caption className="visually-hidden">Tasks, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Filed</th>
                <th scope="col">Room</th>
                <th scope="col">Type</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <TaskRow key={c.case_id} row={c} busy={update.pending} onSave={(change) => apply(update.run(change))} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function TaskRow({ row, busy, onSave }: { row: CaseRow; busy: boolean; onSave(change: CaseChange): void }) {
  const [status, setStatus] = useState(row.status ?? "");
  const [priority, setPriority] = useState(row.priority ?? "");
  // Each read of the list (after a change, or a refusal) starts the choices from the case as it is.
  useEffect(() => {
    setStatus(row.status ?? "");
    setPriority(row.priority ?? "");
  }, [row]);
  const token = row.idempotency_token;
  const changed = status !== (row.status ?? "") || priority !== (row.priority ?? "");
  const save = () => {
    if (!token) return;
    // Only what changed: the tool keys an update by its values, and an unchanged status is a no-op anyway.
    onSave({
      idempotency_token: token,
      ...(status !== row.status && status ? { status } : {}),
      ...(priority !== row.priority && priority ? { priority } : {}),
    });
  };
  return (
    <tr>
      <td>{row.case_number}</td>
      <td>{dateTime(row.created_at)}</td>
      <td>{row.room_number ?? "—"}</td>
      <td>{row.type ?? "—"}</td>
      <td>{row.subject ?? row.description ?? "—"}</td>
      <td>
        <Badge value={row.status} />
      </td>
      <td>
        <Badge value={row.priority} />
      </td>
      <td>
        {token ? (
          <div className="mgr-stack">
            <select aria-label={`New status of case ${row.case_number}`} value={status} onChange={(e) => setStatus(e.target.value)}>
              {!row.status && <option value="">—</option>}
              {CASE_STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
            <select aria-label={`New priority of case ${row.case_number}`} value={priority} onChange={(e) => setPriority(e.target.value)}>
              {!row.priority && <option value="">—</option>}
              {CASE_PRIORITIES.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
            <button type="button" onClick={save} disabled={busy || !changed}>
              Save<ScreenReaderOnly> case {row.case_number}</ScreenReaderOnly>
            </button>
          </div>
        ) : (
          <span className="muted">Filed without a token: it cannot be updated here.</span>
        )}
      </td>
    </tr>
  );
}
