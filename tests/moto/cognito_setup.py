"""Creates a Cognito user pool in moto (the AWS emulator) and signs demo users in.

Usage: python cognito_setup.py <moto-endpoint-url>
Prints one JSON line: {"pool_id", "client_id", "other_client_id", "tokens": {email: {"access", "id"}}}.
The tokens come from moto's real USER_PASSWORD_AUTH flow and are signed with moto's key, published
at <endpoint>/<pool_id>/.well-known/jwks.json.
"""

import json
import sys
import uuid

import boto3

PASSWORD = "Hotel2026!"
USERS = {"kay@example.com": ["guest"], "manager1@hotel.com": ["manager"]}


def main(endpoint: str) -> dict:
    idp = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    pool = idp.create_user_pool(PoolName=f"dewy-test-{uuid.uuid4().hex[:8]}")["UserPool"]["Id"]

    def client(name: str) -> str:
        created = idp.create_user_pool_client(
            UserPoolId=pool,
            ClientName=name,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )
        return created["UserPoolClient"]["ClientId"]

    web, other = client("web"), client("other")
    for group in ("guest", "staff", "manager"):
        idp.create_group(GroupName=group, UserPoolId=pool)
    tokens = {}
    for email, groups in USERS.items():
        idp.admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}],
            MessageAction="SUPPRESS",
        )
        idp.admin_set_user_password(UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True)
        for group in groups:
            idp.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=group)
        result = idp.initiate_auth(
            ClientId=web,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        tokens[email] = {"access": result["AccessToken"], "id": result["IdToken"]}
    return {"pool_id": pool, "client_id": web, "other_client_id": other, "tokens": tokens}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
