import { useState } from "react";
import { Page } from "../lib/Page";
import { ChangeBooking, type Lookup } from "./ChangeBooking";
import { CheckIn } from "./CheckIn";
import { NewBooking } from "./NewBooking";

/** Arrivals and bookings. Nothing is read when the page opens: every call is a person's action. */
export default function FrontDesk() {
  // "Change this booking" after one is made: the change card looks it up by guest and arrival.
  const [preset, setPreset] = useState<Lookup | null>(null);
  return (
    <Page title="Front desk">
      <CheckIn />
      <NewBooking onBooked={(email, date) => setPreset({ email, date, status: "Reserved" })} />
      <ChangeBooking preset={preset} />
    </Page>
  );
}
