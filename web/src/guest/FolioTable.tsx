import { money } from "../lib/format";
import type { Folio } from "./types";

/** The bill exactly as `get_stay_folio` gives it: lines, tax and total are the tool's numbers,
 * never added up here. */
export function FolioTable({ folio }: { folio: Folio }) {
  const cur = folio.currency;
  return (
    <table className="data">
      <caption className="visually-hidden">
        Bill for booking {folio.booking_number}, in {cur.toUpperCase()}
      </caption>
      <thead>
        <tr>
          <th scope="col">Description</th>
          <th scope="col" className="amount">
            Quantity
          </th>
          <th scope="col" className="amount">
            Unit price
          </th>
          <th scope="col" className="amount">
            Amount
          </th>
        </tr>
      </thead>
      <tbody>
        {folio.lines.map((line, i) => (
          <tr key={i}>
            <td>{line.description}</td>
            <td className="amount">{line.quantity}</td>
            <td className="amount">{money(line.unit_amount, cur)}</td>
            <td className="amount">{money(line.amount, cur)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            Tax
          </th>
          <td className="amount">{money(folio.tax, cur)}</td>
        </tr>
        <tr>
          <th scope="row" colSpan={3}>
            Total due
          </th>
          <td className="amount">
            {money(folio.total_due, cur)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
