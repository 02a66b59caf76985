import { useId, useState } from "react";
import { ErrorNotice } from "../lib/ErrorNotice";
import { useAction } from "../lib/useAction";
import { COLOR_PRESETS, type Light } from "./types";

/** The "Dim" preset: low enough for night, bright enough to find the door. */
const DIM_PCT = 20;

const SWATCH: Record<string, string> = {
  "Warm White": "#ffd9a0", "Cool White": "#e8f0ff", Red: "#e53935", Orange: "#fb8c00", Yellow: "#fdd835",
  Green: "#43a047", Cyan: "#00acc1", Blue: "#1e88e5", Purple: "#8e24aa", Pink: "#ec407a",
};

/** One light through `control_light`: power, brightness, colour and effect are separate actions,
 * each with its error beside it; colour and effects only where the light has those features.
 * Shown state is the tool's last answer (Home Assistant's own), never assumed. */
export function LightControl({ device, onChange }: { device: Light; onChange(d: Light): void }) {
  const id = useId();
  const [level, setLevel] = useState(device.brightness_pct ?? 50);
  const applied = (next: Light) => {
    onChange(next);
    if (next.brightness_pct != null) setLevel(next.brightness_pct);
  };
  const power = useAction<object, Light>("control_light", applied);
  const brightness = useAction<object, Light>("control_light", applied);
  const colour = useAction<object, Light>("control_light", applied);
  const effect = useAction<object, Light>("control_light", applied);
  const [chosenEffect, setChosenEffect] = useState(device.effect ?? device.effects[0] ?? "");
  const dims = device.features.includes("brightness");
  const colours = device.features.includes("color");
  const effects = device.features.includes("effects") && device.effects.length > 0;

  function send(action: typeof power, input: object) {
    return action.run({ device_id: device.device_id, ...input });
  }

  return (
    <>
      <p>
        Now: <strong>{device.on ? "On" : "Off"}</strong>
        {device.on && device.brightness_pct != null && <>, {device.brightness_pct}% brightness</>}
        {device.on && device.effect && <>, effect {device.effect}</>}
      </p>
      <div className="controls-row">
        <button type="button" className="primary" disabled={power.pending} onClick={() => void send(power, { power: device.on ? "off" : "on" })}>
          {device.on ? "Turn off" : "Turn on"}
        </button>
      </div>
      {power.error && <ErrorNotice error={power.error} onRetry={() => void power.retry()} retrying={power.pending} />}

      {dims && (
        <>
          <div className="controls-row">
            <label htmlFor={`${id}-level`}>Brightness</label>
            <input
              id={`${id}-level`}
              type="range"
              min={1}
              max={100}
              value={level}
              aria-valuetext={`${level}%`}
              onChange={(e) => setLevel(Number(e.target.value))}
            />
            <output htmlFor={`${id}-level`}>{level}%</output>
            <button type="button" disabled={brightness.pending} onClick={() => void send(brightness, { brightness_pct: level })}>
              Set brightness
            </button>
            <button type="button" disabled={brightness.pending} onClick={() => void send(brightness, { brightness_pct: DIM_PCT })}>
              Dim ({DIM_PCT}%)
            </button>
          </div>
          {brightness.error && <ErrorNotice error={brightness.error} onRetry={() => void brightness.retry()} retrying={brightness.pending} />}
        </>
      )}

      {colours && (
        <fieldset>
          <legend>Colour</legend>
          <div className="swatches">
            {COLOR_PRESETS.map((c) => (
              <button key={c} type="button" disabled={colour.pending} onClick={() => void send(colour, { color: c })}>
                <span className="swatch" style={{ background: SWATCH[c] }} aria-hidden="true" />
                {c}
              </button>
            ))}
          </div>
          {colour.error && <ErrorNotice error={colour.error} onRetry={() => void colour.retry()} retrying={colour.pending} />}
        </fieldset>
      )}

      {effects && (
        <>
          <div className="controls-row">
            <label htmlFor={`${id}-effect`}>Effect</label>
            <select id={`${id}-effect`} value={chosenEffect} onChange={(e) => setChosenEffect(e.target.value)}>
              {device.effects.map((e) => (
                <option key={e}>{e}</option>
              ))}
            </select>
            <button type="button" disabled={effect.pending || !chosenEffect} onClick={() => void send(effect, { effect: chosenEffect })}>
              Play effect
            </button>
          </div>
          {effect.error && <ErrorNotice error={effect.error} onRetry={() => void effect.retry()} retrying={effect.pending} />}
        </>
      )}
    </>
  );
}
