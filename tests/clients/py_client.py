"""Drives an MCP endpoint with the official Python SDK client (mcp 2.x, protocol 2026-07-28).

Usage: python py_client.py <endpoint-url> <bearer-token> <tool-name|-> [arguments-json] [accept|decline]
Prints one JSON line: the tools listed and the call's result (or the error the client raised).
With `accept` or `decline` the client declares elicitation and answers every question the server
asks its person that way (the SDK retries the call with the answer); `asked` lists the questions.
"""

import asyncio
import json
import sys

import httpx2
import mcp_types as types
from mcp import Client
from mcp.client.streamable_http import streamable_http_client


async def main(url: str, token: str, tool: str, arguments: dict, answer: str | None) -> dict:
    out: dict = {}
    asked: list[str] = []

    async def person(context, params: types.ElicitRequestParams) -> types.ElicitResult:
        asked.append(params.message)
        return types.ElicitResult(action=answer, content={} if answer == "accept" else None)

    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30)
    elicitation = {"elicitation_callback": person} if answer else {}
    try:
        async with Client(streamable_http_client(url, http_client=http), **elicitation) as client:
            listed = await client.list_tools()
            out["tools"] = [t.name for t in listed.tools]
            out["schemas"] = {t.name: t.input_schema for t in listed.tools}
            if tool != "-":
                result = await client.call_tool(tool, arguments)
                out["result"] = {
                    "isError": result.is_error,
                    "structuredContent": result.structured_content,
                }
    except Exception as error:  # the test reads the error; nothing is swallowed
        out["error"] = {"message": str(error), "type": type(error).__name__}
    finally:
        await http.aclose()
    out["asked"] = asked
    return out


if __name__ == "__main__":
    endpoint, bearer, name = sys.argv[1:4]
    args = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    answer = sys.argv[5] if len(sys.argv) > 5 else None
    print(json.dumps(asyncio.run(main(endpoint, bearer, name, args, answer)), default=str))
