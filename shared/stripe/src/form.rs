//! Request parameters in Stripe's form encoding: flat `(name, value)` pairs whose names carry the
//! nesting in brackets (`metadata[guest_id]`, `automatic_payment_methods[enabled]`, `expand[]`).
//! reqwest percent-encodes them (brackets included) as a form body or a query string.

/// The parameters of one request, in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Form(Vec<(String, String)>);

impl Form {
    pub fn new() -> Self {
        Self::default()
    }

    /// `name=value`.
    pub fn field(mut self, name: &str, value: impl ToString) -> Self {
        self.0.push((name.to_owned(), value.to_string()));
        self
    }

    /// `name=value` when there is a value; nothing otherwise (Stripe reads an empty string as
    /// "unset", which is not what an absent option means).
    pub fn optional(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.field(name, value),
            None => self,
        }
    }

    /// `metadata[key]=value` for each entry.
    pub fn metadata<'a>(mut self, entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        for (key, value) in entries {
            self.0.push((format!("metadata[{key}]"), value.to_owned()));
        }
        self
    }

    /// `expand[]=field`: the response renders `field` as an object instead of an id.
    pub fn expand(self, field: &str) -> Self {
        self.field("expand[]", field)
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What goes on the wire: brackets percent-encoded, values form-encoded.
    #[test]
    fn bracket_names_are_encoded_on_the_wire() {
        let form = Form::new()
            .field("amount", 5000)
            .optional("description", Some("Hotel checkout payment"))
            .optional("return_url", None::<&str>)
            .metadata([("guest_id", "003 & co")])
            .field("automatic_payment_methods[enabled]", true)
            .expand("latest_charge");
        let request = reqwest::Client::new()
            .post("http://localhost/v1/payment_intents")
            .form(form.pairs())
            .build()
            .unwrap();
        let body = std::str::from_utf8(request.body().unwrap().as_bytes().unwrap())
            .unwrap()
            .to_owned();
        assert_eq!(
            body,
            "amount=5000&description=Hotel+checkout+payment&metadata%5Bguest_id%5D=003+%26+co\
             &automatic_payment_methods%5Benabled%5D=true&expand%5B%5D=latest_charge"
        );
    }
}
