//! Lambda function `mcp_adapter` (`/mcp/guest`, `/mcp/staff`): the persona MCP servers, reaching
//! each tool through its own function.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    dewy_runtime::adapter::run().await
}
