import { Badge } from "../lib/Badge";
import { dateTime } from "../lib/format";
import type { CaseRow } from "./types";

/** A guest's requests (Salesforce cases), newest first: when each was filed, and its status and
 * priority in words (not only colours). The case number is what staff quote. */
export function RequestsTable({ cases, caption }: { cases: CaseRow[]; caption: string }) {
  return (
    <table className="data">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Request</th>
          <th scope="col">Filed</th>
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
            <td>{dateTime(c.created_at)}</td>
            <td>{c.type ?? "—"}</td>
            <td>
              <Badge value={c.status} />
            </td>
            <td>
              <Badge value={c.priority} />
            </td>
            <td>{c.description ?? c.subject ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
