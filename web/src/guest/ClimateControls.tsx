import { useId, useState, type FormEvent } from "react";
import { ErrorNotice } from "../lib/ErrorNotice";
import { useAction } from "../lib/useAction";
import type { Blinds, Thermostat } from "./types";

const MODES = ["heat", "cool", "off"] as const;

/** The thermostat through `set_thermostat`: target (°F, within the device's own range) and mode
 * in one command. */
export function ThermostatControl({ device, onChange }: { device: Thermostat; onChange(d: Thermostat): void }) {
  const id = useId();
  const set = useAction<object, Thermostat>("set_thermostat", onChange);
  const [target, setTarget] = useState(String(device.target_f ?? 70));
  const [mode, setMode] = useState(device.mode);

  function submit(event: FormEvent) {
    event.preventDefault();
    void set.run({ device_id: device.device_id, temperature: Number(target), mode });
  }

  return (
    <form onSubmit={submit}>
      <p>
        Now: {device.current_f != null ? `${device.current_f} °F in the room` : "room temperature unknown"}; target{" "}
        {device.target_f != null ? `${device.target_f} °F` : "—"}, mode <strong>{device.mode}</strong>
      </p>
      <div className="form-row inline">
        <div>
          <label htmlFor={`${id}-target`}>Target temperature (°F)</label>
          <input
            id={`${id}-target`}
            type="number"
            min={device.min_f}
            max={device.max_f}
            step={1}
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            aria-describedby={`${id}-range`}
            required
          />
          <p className="hint" id={`${id}-range`}>
            {device.min_f}–{device.max_f} °F
          </p>
        </div>
        <div>
          <label htmlFor={`${id}-mode`}>Mode</label>
          <select id={`${id}-mode`} value={mode} onChange={(e) => setMode(e.target.value)}>
            {MODES.map((m) => (
              <option key={m} value={m}>
                {m[0].toUpperCase() + m.slice(1)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {set.error && <ErrorNotice error={set.error} onRetry={() => void set.retry()} retrying={set.pending} />}
      <button type="submit" className="primary" disabled={set.pending}>
        {set.pending ? "Setting…" : "Set thermostat"}
      </button>
    </form>
  );
}

/** The blinds through `set_blinds`: all the way open or closed, or a position. */
export function BlindsControl({ device, onChange }: { device: Blinds; onChange(d: Blinds): void }) {
  const id = useId();
  const [position, setPosition] = useState(device.position ?? 0);
  const applied = (next: Blinds) => {
    onChange(next);
    if (next.position != null) setPosition(next.position);
  };
  const move = useAction<object, Blinds>("set_blinds", applied);
  const place = useAction<object, Blinds>("set_blinds", applied);

  function send(action: typeof move, input: object) {
    return action.run({ device_id: device.device_id, ...input });
  }

  return (
    <>
      <p>
        Now: <strong>{device.state}</strong>
        {device.position != null && <>, {device.position}% open</>}
      </p>
      <div className="controls-row">
        <button type="button" disabled={move.pending} onClick={() => void send(move, { action: "open" })}>
          Open
        </button>
        <button type="button" disabled={move.pending} onClick={() => void send(move, { action: "close" })}>
          Close
        </button>
      </div>
      {move.error && <ErrorNotice error={move.error} onRetry={() => void move.retry()} retrying={move.pending} />}
      <div className="controls-row">
        <label htmlFor={`${id}-position`}>Position (% open)</label>
        <input
          id={`${id}-position`}
          type="range"
          min={0}
          max={100}
          value={position}
          aria-valuetext={`${position}% open`}
          onChange={(e) => setPosition(Number(e.target.value))}
        />
        <output htmlFor={`${id}-position`}>{position}%</output>
        <button type="button" disabled={place.pending} onClick={() => void send(place, { position })}>
          Set position
        </button>
      </div>
      {place.error && <ErrorNotice error={place.error} onRetry={() => void place.retry()} retrying={place.pending} />}
    </>
  );
}
