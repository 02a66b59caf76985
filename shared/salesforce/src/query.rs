//! SOQL queries, page by page or to the end.

use crate::Salesforce;
use crate::client::{DecodeResponse, Params, Request, Target};
use crate::error::SalesforceError;
use crate::soql::Soql;
use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// One page of query results.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QueryPage<T> {
    /// How many records the whole query matched.
    #[serde(rename = "totalSize")]
    pub total_size: u64,
    /// Whether this is the last page.
    pub done: bool,
    /// The path of the next page (pass it to [`Salesforce::query_more`]), while not `done`.
    #[serde(rename = "nextRecordsUrl", default)]
    pub next_records_url: Option<String>,
    /// The records of this page.
    pub records: Vec<T>,
}

impl Salesforce {
    /// Runs `soql` and returns every matching record, following `nextRecordsUrl` page after page.
    ///
    /// Relationship fields decode into nested types: `Room__r.Status__c` arrives as
    /// `{"Room__r": {"Status__c": …}}` (or `"Room__r": null` when the lookup is empty).
    pub async fn query<T: DeserializeOwned>(&self, soql: &Soql) -> Result<Vec<T>, SalesforceError> {
        let operation = format!("query {}", soql.object());
        let mut page: QueryPage<T> = self.page(&operation, first_page(soql)).await?;
        let mut records = std::mem::take(&mut page.records);
        while let (false, Some(next)) = (page.done, page.next_records_url.take()) {
            page = self.page(&operation, more_page(&next)?).await?;
            records.append(&mut page.records);
        }
        Ok(records)
    }

    /// Runs `soql` and returns its first page only.
    pub async fn query_page(&self, soql: &Soql) -> Result<QueryPage<serde_json::Value>, SalesforceError> {
        self.page(&format!("query {}", soql.object()), first_page(soql))
            .await
    }

    /// Fetches the page at `next_records_url`, as given by a previous page.
    pub async fn query_more(
        &self,
        next_records_url: &str,
    ) -> Result<QueryPage<serde_json::Value>, SalesforceError> {
        self.page("query more", more_page(next_records_url)?).await
    }

    async fn page<T: DeserializeOwned>(
        &self,
        operation: &str,
        (target, query): (Target<'_>, Params),
    ) -> Result<QueryPage<T>, SalesforceError> {
        let request = Request {
            operation: operation.to_owned(),
            method: Method::GET,
            target,
            query,
            body: None,
        };
        self.execute(&request).await?.success()?.json("query result")
    }
}

fn first_page(soql: &Soql) -> (Target<'static>, Params) {
    (Target::Api("query".into()), vec![("q", soql.as_str().to_owned())])
}

/// The next page's target. Only a path under the data API is followed: a response must not be able to
/// send the token to another host.
fn more_page(next: &str) -> Result<(Target<'_>, Params), SalesforceError> {
    if next.starts_with("/services/data/") && !next.contains("..") && !next.contains('#') {
        Ok((Target::InstancePath(next), Vec::new()))
    } else {
        Err(SalesforceError::Decode(format!(
            "nextRecordsUrl {next:?} is not a data API path"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A nextRecordsUrl pointing anywhere but the data API is refused.
    #[test]
    fn only_data_api_paths_are_followed() {
        assert!(more_page("/services/data/v62.0/query/01gD0000002HU6KIAW-2000").is_ok());
        for bad in [
            "https://evil.example/x",
            "//evil.example/services/data/",
            "/services/data/../../x",
            "/x",
        ] {
            assert!(matches!(more_page(bad), Err(SalesforceError::Decode(_))), "{bad}");
        }
    }
}
