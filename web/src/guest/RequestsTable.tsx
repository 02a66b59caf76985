import { statusClass } from "../lib/format";
import type { CaseRow } from "./types";

/** A guest's requests (Salesforce cases). The search gives no creation date, so none is shown;
 * the case number is what staff quote. Status and priority are words, not only colours. */
export function RequestsTable({ cases, caption }: { cases: CaseRow[]; caption: string }) {
  return (
    <table className="data">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Request</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Priority</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c) => (
          <tr key={c.case_id}>
            <td>{c.case_number}</td>
            <td>{c.type ?? "—"}</td>
            <td>
              <span className={`badge badge-${statusClass(c.status)}`}>{c.status ?? "Unknown"}</span>
            </td>
            <td>
              <span className={`badge badge-${statusClass(c.priority)}`}>{c.priority ?? "—"}</span>
            </td>
            <td>{c.description ?? c.subject ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
