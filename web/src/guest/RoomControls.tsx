import { useState } from "react";
import { Card, Page } from "../lib/Page";
import { ErrorNotice } from "../lib/ErrorNotice";
import { useTool } from "../lib/useTool";
import { BlindsControl, ThermostatControl } from "./ClimateControls";
import { LightControl } from "./LightControl";
import { isNoStay } from "./stay";
import type { Device, RoomDevices } from "./types";
import "./guest.css";

const ORDER: Record<Device["kind"], number> = { light: 0, thermostat: 1, blinds: 2 };

/** The guest's room: its lights, thermostat and blinds. One read (`list_room_devices`); each
 * command answers the device's new state, which replaces the listed one. */
export default function RoomControls() {
  const list = useTool<RoomDevices>("list_room_devices", {});
  // Devices as the commands last answered them, by id, over the list's state.
  const [changed, setChanged] = useState<Record<string, Device>>({});
  const update = (d: Device) => setChanged((all) => ({ ...all, [d.device_id]: d }));
  // Lights first, then the thermostat and the blinds: what a guest reaches for most.
  const devices = (list.data?.devices ?? [])
    .map((d) => changed[d.device_id] ?? d)
    .sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);

  return (
    <Page
      title={list.data?.room_number ? `Room ${list.data.room_number} controls` : "Room controls"}
      actions={
        <button type="button" onClick={() => { setChanged({}); list.reload(); }} disabled={list.loading}>
          {list.loading ? "Refreshing…" : "Refresh"}
        </button>
      }
    >
      {list.loading && !list.data && <p className="muted">Loading your room…</p>}
      {list.error && isNoStay(list.error) && (
        <div className="card">
          <p>Room controls are available while you are checked in.</p>
        </div>
      )}
      {list.error && !isNoStay(list.error) && <ErrorNotice error={list.error} onRetry={list.reload} retrying={list.loading} />}
      {list.data && devices.length === 0 && <p>This room has no controllable devices.</p>}
      <div className="grid">
        {devices.map((d) => (
          <Card key={d.device_id} title={d.name}>
            {d.kind === "light" && <LightControl device={d} onChange={update} />}
            {d.kind === "thermostat" && <ThermostatControl device={d} onChange={update} />}
            {d.kind === "blinds" && <BlindsControl device={d} onChange={update} />}
          </Card>
        ))}
      </div>
    </Page>
  );
}
