//! The 3-D Secure page a browser is sent to by a `redirect_to_url` next action.

use crate::common::start;

/// A $50 PaymentIntent with the 3-D Secure test card, confirmed with a return URL.
const PAY_WITH_3DS: &str = "amount=5000&currency=usd&payment_method=pm_card_authenticationRequired&confirm=true\
    &automatic_payment_methods[enabled]=true&automatic_payment_methods[allow_redirects]=always\
    &return_url=http%3A%2F%2F127.0.0.1%3A3000%2Fbilling%3Fstep%3Dreturn";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

#[tokio::test]
async fn the_customer_completes_authentication_and_returns_with_stripes_query() {
    let env = start().await;
    let pending = env.post("/v1/payment_intents", PAY_WITH_3DS, None).await;
    assert_eq!(pending.body["status"], "requires_action", "{}", pending.body);
    let action = &pending.body["next_action"];
    assert_eq!(action["type"], "redirect_to_url");
    let url = action["redirect_to_url"]["url"].as_str().unwrap();
    assert!(url.starts_with(&env.url("/redirect/authenticate/")), "{url}");
    let id = pending.body["id"].as_str().unwrap();
    let secret = pending.body["client_secret"].as_str().unwrap();

    let page = env.client.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("50.00 USD") && html.contains("Complete authentication"),
        "{html}"
    );

    let wrong = env.client.get(format!(
        "{}?client_secret=pi_nope",
        env.url(&format!("/redirect/authenticate/{id}"))
    ));
    assert_eq!(wrong.send().await.unwrap().status(), 404);

    let form = [("client_secret", secret), ("outcome", "complete")];
    let answered = no_redirects().post(url).form(&form).send().await.unwrap();
    assert_eq!(answered.status(), 303);
    assert_eq!(
        answered.headers()["location"].to_str().unwrap(),
        format!(
            "http://127.0.0.1:3000/billing?step=return&payment_intent={id}\
             &payment_intent_client_secret={secret}&redirect_status=succeeded"
        )
    );
    assert_eq!(
        env.get(&format!("/v1/payment_intents/{id}")).await.body["status"],
        "succeeded"
    );

    // Once answered, the page says so and changes nothing.
    let again = no_redirects().post(url).form(&form).send().await.unwrap();
    assert_eq!(again.status(), 409);
}

#[tokio::test]
async fn a_failed_authentication_returns_failed_and_leaves_the_payment_unpaid() {
    let env = start().await;
    let pending = env.post("/v1/payment_intents", PAY_WITH_3DS, None).await;
    let url = pending.body["next_action"]["redirect_to_url"]["url"]
        .as_str()
        .unwrap();
    let id = pending.body["id"].as_str().unwrap();
    let secret = pending.body["client_secret"].as_str().unwrap();
    let answered = no_redirects()
        .post(url)
        .form(&[("client_secret", secret), ("outcome", "fail")])
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 303);
    assert!(
        answered.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("&redirect_status=failed")
    );
    let intent = env.get(&format!("/v1/payment_intents/{id}")).await.body;
    assert_eq!(intent["status"], "requires_payment_method");
    assert_eq!(intent["amount_received"], 0);
}
