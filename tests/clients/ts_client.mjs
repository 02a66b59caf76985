// Drives an MCP endpoint with the official TypeScript SDK client, as an agent host would.
// Usage: node ts_client.mjs <endpoint-url> <bearer-token> <tool-name|-> [arguments-json]
// Prints one JSON line: the negotiated protocol version, the tools listed, and the call's result
// (or the error the client raised).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token, tool, args] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "dewy-e2e-ts", version: "1.0.0" });
const out = {};
try {
  await client.connect(transport);
  out.protocol_version = transport.protocolVersion ?? null;
  out.session_id = transport.sessionId ?? null;
  const listed = await client.listTools();
  out.tools = listed.tools.map((t) => t.name);
  out.schemas = Object.fromEntries(listed.tools.map((t) => [t.name, t.inputSchema]));
  if (tool && tool !== "-") {
    out.result = await client.callTool({ name: tool, arguments: JSON.parse(args ?? "{}") });
  }
} catch (error) {
  out.error = { message: String(error?.message ?? error), code: error?.code ?? null };
} finally {
  await client.close().catch(() => {});
}
console.log(JSON.stringify(out));
