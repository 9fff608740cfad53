//! SigV4 authentication: requests signed by the AWS SDK's signer pass, anything else is refused
//! with AWS's codes.

mod common;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_json_server::sigv4::{Credential, SigV4Config};
use aws_json_server::AwsJsonService;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use common::*;
use http::{HeaderValue, Request, StatusCode};
use http_body_util::Full;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TEMP_AKID: &str = "ASIATEMPORARY";
const TEMP_SECRET: &str = "temporary-secret";
const TOKEN: &str = "session-token-of-the-temporary-key";

fn authenticated_service() -> AwsJsonService {
    let store = HashMap::from([
        (AKID.to_owned(), Credential::new(SECRET)),
        (
            TEMP_AKID.to_owned(),
            Credential::new(TEMP_SECRET).with_session_token(TOKEN),
        ),
    ]);
    builder()
        .sigv4(SigV4Config::new(store))
        .build()
        .expect("builds")
}

/// What to sign with.
struct Signer<'a> {
    akid: &'a str,
    secret: &'a str,
    token: Option<&'a str>,
    time: SystemTime,
    service: &'a str,
    region: &'a str,
    /// Presign (signature in the query string) with this `X-Amz-Expires`.
    presign: Option<Duration>,
    /// Sign `UNSIGNED-PAYLOAD` instead of the body's hash.
    unsigned_payload: bool,
}

impl Default for Signer<'_> {
    fn default() -> Self {
        Self {
            akid: AKID,
            secret: SECRET,
            token: None,
            time: SystemTime::now(),
            service: "fake",
            region: "us-east-1",
            presign: None,
            unsigned_payload: false,
        }
    }
}

impl Signer<'_> {
    /// Signs the request as the AWS SDKs do, with `aws-sigv4`.
    fn sign(&self, mut request: Request<Full<Bytes>>, body: &[u8]) -> Request<Full<Bytes>> {
        let identity: Identity = Credentials::new(
            self.akid,
            self.secret,
            self.token.map(str::to_owned),
            None,
            "test",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name(self.service)
            .time(self.time)
            .settings({
                let mut settings = SigningSettings::default();
                if let Some(expires) = self.presign {
                    settings.signature_location = SignatureLocation::QueryParams;
                    settings.expires_in = Some(expires);
                }
                settings
            })
            .build()
            .expect("signing params")
            .into();
        let uri = request.uri().to_string();
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    value.to_str().expect("ascii").to_owned(),
                )
            })
            .collect();
        let signable = SignableRequest::new(
            request.method().as_str(),
            &uri,
            headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
            if self.unsigned_payload {
                SignableBody::UnsignedPayload
            } else {
                SignableBody::Bytes(body)
            },
        )
        .expect("signable");
        let (instructions, _signature) = sign(signable, &params).expect("signs").into_parts();
        instructions.apply_to_request_http1x(&mut request);
        request
    }
}

fn signed(operation: &str, body: &str, signer: &Signer<'_>) -> Request<Full<Bytes>> {
    signer.sign(request(operation, body), body.as_bytes())
}

#[tokio::test]
async fn a_request_signed_like_an_sdk_passes_and_names_the_caller() {
    let service = authenticated_service();
    let answer = send(&service, signed("WhoAmI", "{}", &Signer::default())).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["Caller"], AKID);

    let answer = send(
        &service,
        signed("Greet", r#"{"Name":"signed"}"#, &Signer::default()),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test]
async fn paths_and_query_strings_are_canonicalized_like_the_sdk_does() {
    let service = authenticated_service();
    for uri in [
        "http://localhost/some%20path/./x/?b=2&a=1&a=0&empty=&sp=a%20b&t=%E2%9C%93",
        "http://localhost:8080/",
        "http://localhost/a/b",
    ] {
        let mut request = request("WhoAmI", "{}");
        *request.uri_mut() = uri.parse().expect("a URI");
        let request = Signer::default().sign(request, b"{}");
        let answer = send(&service, request).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
    }
}

#[tokio::test]
async fn session_tokens_are_checked_against_the_store() {
    let service = authenticated_service();
    let temporary = Signer {
        akid: TEMP_AKID,
        secret: TEMP_SECRET,
        token: Some(TOKEN),
        ..Signer::default()
    };
    let answer = send(&service, signed("WhoAmI", "{}", &temporary)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["Caller"], TEMP_AKID);

    for token in [None, Some("another-token")] {
        let signer = Signer { token, ..temporary };
        let answer = send(&service, signed("WhoAmI", "{}", &signer)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{token:?}");
        assert_eq!(answer.error_type(), "UnrecognizedClientException");
    }

    // A long-term key that sends a (signed) token is refused: the token belongs to no key.
    let with_token = Signer {
        token: Some("a-token-of-another-key"),
        ..Signer::default()
    };
    let answer = send(&service, signed("WhoAmI", "{}", &with_token)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert_eq!(answer.error_type(), "UnrecognizedClientException");
    assert_eq!(
        answer.message(),
        "The security token included in the request is invalid."
    );
}

#[tokio::test]
async fn exactly_one_authorization_header_is_allowed() {
    let service = authenticated_service();
    let mut request = signed("WhoAmI", "{}", &Signer::default());
    let valid = request.headers()["authorization"].clone();
    request.headers_mut().append("authorization", valid.clone());
    let answer = send(&service, request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert_eq!(answer.error_type(), "IncompleteSignatureException");

    // A forged second header after a valid one is refused the same way.
    let mut request = signed("WhoAmI", "{}", &Signer::default());
    request.headers_mut().append(
        "authorization",
        HeaderValue::from_static(
            "AWS4-HMAC-SHA256 Credential=EVIL/20200101/us-east-1/fake/aws4_request, \
             SignedHeaders=host, Signature=00",
        ),
    );
    let answer = send(&service, request).await;
    assert_eq!(answer.error_type(), "IncompleteSignatureException");

    let mut request = signed("WhoAmI", "{}", &Signer::default());
    request
        .headers_mut()
        .append("x-amz-date", HeaderValue::from_static("20200101T000000Z"));
    let answer = send(&service, request).await;
    assert_eq!(answer.error_type(), "IncompleteSignatureException");
}

#[tokio::test]
async fn presigned_requests_are_verified() {
    let service = authenticated_service();
    for unsigned_payload in [false, true] {
        let signer = Signer {
            presign: Some(Duration::from_secs(300)),
            unsigned_payload,
            ..Signer::default()
        };
        let request = signed("WhoAmI", "{}", &signer);
        assert!(request.headers().get("authorization").is_none());
        assert!(request
            .uri()
            .query()
            .is_some_and(|query| query.contains("X-Amz-Signature=")));
        let answer = send(&service, request).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(answer.body["Caller"], AKID);
    }

    // Temporary keys need their token in the query string.
    let temporary = Signer {
        akid: TEMP_AKID,
        secret: TEMP_SECRET,
        token: Some(TOKEN),
        presign: Some(Duration::from_secs(300)),
        ..Signer::default()
    };
    let answer = send(&service, signed("WhoAmI", "{}", &temporary)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);

    // Expired: signed an hour ago for five minutes.
    let expired = Signer {
        presign: Some(Duration::from_secs(300)),
        time: SystemTime::now() - Duration::from_secs(3600),
        ..Signer::default()
    };
    let answer = send(&service, signed("WhoAmI", "{}", &expired)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_type(), "InvalidSignatureException");
    assert!(
        answer.message().starts_with("Signature expired"),
        "{}",
        answer.message()
    );

    // Tampered query string, and a body changed after signing its hash.
    let presigned = Signer {
        presign: Some(Duration::from_secs(300)),
        ..Signer::default()
    };
    let mut request = signed("WhoAmI", "{}", &presigned);
    let tampered = request
        .uri()
        .to_string()
        .replace("X-Amz-Expires=300", "X-Amz-Expires=600");
    *request.uri_mut() = tampered.parse().expect("a URI");
    let answer = send(&service, request).await;
    assert_eq!(answer.error_type(), "InvalidSignatureException");
    let request = signed("Greet", r#"{"Name":"a"}"#, &presigned);
    let (parts, _) = request.into_parts();
    let request = Request::from_parts(parts, Full::new(Bytes::from(r#"{"Name":"b"}"#)));
    let answer = send(&service, request).await;
    assert_eq!(answer.error_type(), "InvalidSignatureException");

    // Both mechanisms at once.
    let mut request = signed("WhoAmI", "{}", &presigned);
    request.headers_mut().insert(
        "authorization",
        HeaderValue::from_static(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20200101/us-east-1/fake/aws4_request, \
             SignedHeaders=host, Signature=00",
        ),
    );
    let answer = send(&service, request).await;
    assert_eq!(answer.error_type(), "IncompleteSignatureException");
}

#[tokio::test]
async fn a_wrong_secret_is_an_invalid_signature() {
    let signer = Signer {
        secret: "not-the-secret",
        ..Signer::default()
    };
    let answer = send(&authenticated_service(), signed("WhoAmI", "{}", &signer)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_type(), "InvalidSignatureException");
    assert!(
        answer.message().starts_with(
            "The request signature we calculated does not match the signature you provided."
        ),
        "{}",
        answer.message()
    );
}

#[tokio::test]
async fn tampering_after_signing_is_an_invalid_signature() {
    let service = authenticated_service();
    // Another body than the one signed.
    let mut request = signed("Greet", r#"{"Name":"a"}"#, &Signer::default());
    *request.body_mut() = Full::new(Bytes::from_static(br#"{"Name":"b"}"#));
    let answer = send(&service, request).await;
    assert_eq!(answer.error_type(), "InvalidSignatureException");

    // Another operation than the one signed.
    let mut request = signed("WhoAmI", "{}", &Signer::default());
    request.headers_mut().insert(
        "x-amz-target",
        HeaderValue::from_static("FakeService.Greet"),
    );
    let answer = send(&service, request).await;
    assert_eq!(answer.error_type(), "InvalidSignatureException");
}

#[tokio::test]
async fn a_missing_signature_is_a_missing_authentication_token() {
    let service = authenticated_service();
    let answer = send(&service, request("WhoAmI", "{}")).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_type(), "MissingAuthenticationTokenException");
    // Authentication comes before routing: an unknown operation gets the same answer.
    let answer = send(&service, request("Nope", "{}")).await;
    assert_eq!(answer.error_type(), "MissingAuthenticationTokenException");
}

#[tokio::test]
async fn malformed_authorization_is_an_incomplete_signature() {
    let service = authenticated_service();
    let good = signed("WhoAmI", "{}", &Signer::default());
    let authorization = good.headers()["authorization"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let without_signed_headers = authorization
        .split(", ")
        .filter(|part| !part.starts_with("SignedHeaders="))
        .collect::<Vec<_>>()
        .join(", ");
    let without_host = authorization.replace("SignedHeaders=", "SignedHeaders=a;");
    let without_host = without_host.replace(";host;", ";");
    for bad in [
        "garbage".to_owned(),
        "AWS4-HMAC-SHA256".to_owned(),
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE".to_owned(),
        "AWS4-HMAC-SHA512 Credential=a/b/c/d/aws4_request, SignedHeaders=host, Signature=00"
            .to_owned(),
        without_signed_headers,
        without_host,
        authorization.replace("/aws4_request", "/aws5_request"),
        authorization.replace(&format!("Credential={AKID}/"), "Credential="),
    ] {
        let mut request = good.clone();
        request
            .headers_mut()
            .insert("authorization", HeaderValue::from_str(&bad).expect("ascii"));
        let answer = send(&service, request).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{bad}");
        assert_eq!(answer.error_type(), "IncompleteSignatureException", "{bad}");
    }

    let mut no_date = good.clone();
    no_date.headers_mut().remove("x-amz-date");
    let answer = send(&service, no_date).await;
    assert_eq!(answer.error_type(), "IncompleteSignatureException");

    let mut bad_date = good;
    bad_date
        .headers_mut()
        .insert("x-amz-date", HeaderValue::from_static("yesterday"));
    let answer = send(&service, bad_date).await;
    assert_eq!(answer.error_type(), "IncompleteSignatureException");
}

#[tokio::test]
async fn an_unknown_access_key_is_an_unrecognized_client() {
    let signer = Signer {
        akid: "AKIDUNKNOWN",
        ..Signer::default()
    };
    let answer = send(&authenticated_service(), signed("WhoAmI", "{}", &signer)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_type(), "UnrecognizedClientException");
    assert_eq!(
        answer.message(),
        "The security token included in the request is invalid."
    );
}

#[tokio::test]
async fn requests_dated_more_than_15_minutes_off_are_refused() {
    let service = authenticated_service();
    let old = Signer {
        time: SystemTime::now() - Duration::from_secs(20 * 60),
        ..Signer::default()
    };
    let answer = send(&service, signed("WhoAmI", "{}", &old)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_type(), "InvalidSignatureException");
    assert!(
        answer.message().starts_with("Signature expired: "),
        "{}",
        answer.message()
    );

    let future = Signer {
        time: SystemTime::now() + Duration::from_secs(20 * 60),
        ..Signer::default()
    };
    let answer = send(&service, signed("WhoAmI", "{}", &future)).await;
    assert_eq!(answer.error_type(), "InvalidSignatureException");
    assert!(
        answer.message().starts_with("Signature not yet current: "),
        "{}",
        answer.message()
    );

    let recent = Signer {
        time: SystemTime::now() - Duration::from_secs(10 * 60),
        ..Signer::default()
    };
    assert_eq!(
        send(&service, signed("WhoAmI", "{}", &recent)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_scope_must_name_the_service_and_the_configured_region() {
    let service = authenticated_service();
    let other_service = Signer {
        service: "sso",
        ..Signer::default()
    };
    let answer = send(&service, signed("WhoAmI", "{}", &other_service)).await;
    assert_eq!(answer.error_type(), "InvalidSignatureException");
    assert!(answer.message().contains("'fake'"), "{}", answer.message());

    let regional = builder()
        .sigv4(
            SigV4Config::new(HashMap::from([(AKID.to_owned(), SECRET.to_owned())]))
                .with_region("eu-west-1"),
        )
        .build()
        .expect("builds");
    let answer = send(&regional, signed("WhoAmI", "{}", &Signer::default())).await;
    assert_eq!(answer.error_type(), "InvalidSignatureException");
    let in_region = Signer {
        region: "eu-west-1",
        ..Signer::default()
    };
    let answer = send(&regional, signed("WhoAmI", "{}", &in_region)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["Caller"], AKID);

    // By default only us-east-1; several regions can be allowed; any only when asked for.
    let elsewhere = Signer {
        region: "ap-south-2",
        ..Signer::default()
    };
    let answer = send(&service, signed("WhoAmI", "{}", &elsewhere)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(answer.error_type(), "InvalidSignatureException");
    assert_eq!(
        answer.message(),
        "Credential should be scoped to a valid region, not 'ap-south-2'. "
    );
    let store = || HashMap::from([(AKID.to_owned(), SECRET.to_owned())]);
    let several = builder()
        .sigv4(SigV4Config::new(store()).with_regions(["eu-west-1", "ap-south-2"]))
        .build()
        .expect("builds");
    for (signer, status) in [
        (&elsewhere, StatusCode::OK),
        (&in_region, StatusCode::OK),
        (&Signer::default(), StatusCode::FORBIDDEN),
    ] {
        let answer = send(&several, signed("WhoAmI", "{}", signer)).await;
        assert_eq!(answer.status, status, "{}: {}", signer.region, answer.body);
    }
    let any = builder()
        .sigv4(SigV4Config::new(store()).with_any_region())
        .build()
        .expect("builds");
    let answer = send(&any, signed("WhoAmI", "{}", &elsewhere)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test]
async fn an_empty_region_is_named_in_the_message() {
    let service = authenticated_service();
    let mut request = signed("WhoAmI", "{}", &Signer::default());
    let header = request.headers()["authorization"]
        .to_str()
        .expect("ASCII")
        .replace("/us-east-1/", "//");
    request.headers_mut().insert(
        "authorization",
        HeaderValue::from_str(&header).expect("a header"),
    );
    let answer = send(&service, request).await;
    assert_eq!(answer.error_type(), "InvalidSignatureException");
    assert_eq!(
        answer.message(),
        "Credential should be scoped to a valid region, not ''. "
    );
}

/// `request` with the `SignedHeaders` of its `Authorization` header (or its
/// `X-Amz-SignedHeaders` query parameter, when presigned) replaced by `list`.
fn with_signed_headers(mut request: Request<Full<Bytes>>, list: &str) -> Request<Full<Bytes>> {
    fn replace_value(text: &str, key: &str, terminators: &[char], value: &str) -> String {
        let start = text.find(key).expect("the parameter") + key.len();
        let end = text[start..]
            .find(terminators)
            .map_or(text.len(), |end| start + end);
        format!("{}{value}{}", &text[..start], &text[end..])
    }
    if let Some(authorization) = request.headers().get("authorization") {
        let authorization = authorization.to_str().expect("ascii");
        let replaced = replace_value(authorization, "SignedHeaders=", &[','], list);
        request.headers_mut().insert(
            "authorization",
            HeaderValue::from_str(&replaced).expect("a header"),
        );
    } else {
        let uri = request.uri().to_string();
        let encoded = list.replace(';', "%3B");
        let replaced = replace_value(&uri, "X-Amz-SignedHeaders=", &['&'], &encoded);
        *request.uri_mut() = replaced.parse().expect("a URI");
    }
    request
}

/// Each signed header copies its value into the canonical request: a list naming one long
/// header thousands of times would have the server hash hundreds of megabytes before it
/// compares the signature. Such lists, and any list that is not sorted lower-case names each
/// named once, are refused as malformed before the signature is computed.
#[tokio::test]
async fn signed_headers_must_be_sorted_unique_lower_case_names() {
    let service = authenticated_service();
    let mut long = request("WhoAmI", "{}");
    long.headers_mut().insert(
        "a",
        HeaderValue::from_str(&"x".repeat(4000)).expect("a header"),
    );
    let long = Signer::default().sign(long, b"{}");
    let presigner = Signer {
        presign: Some(Duration::from_secs(300)),
        ..Signer::default()
    };
    let mut long_presigned = request("WhoAmI", "{}");
    long_presigned.headers_mut().insert(
        "a",
        HeaderValue::from_str(&"x".repeat(4000)).expect("a header"),
    );
    let long_presigned = presigner.sign(long_presigned, b"{}");
    let amplified = format!("host{}", ";a".repeat(2000));
    let many_absent: String = (0..100).map(|i| format!("x-{i:04};")).collect();
    let good = signed("WhoAmI", "{}", &Signer::default());
    let cases = [
        (long.clone(), amplified.clone()),
        (long_presigned, amplified),
        (long, "a;a;host".to_owned()),
        (
            good.clone(),
            "content-type;host;host;x-amz-date;x-amz-target".to_owned(),
        ),
        (
            good.clone(),
            "host;content-type;x-amz-date;x-amz-target".to_owned(),
        ),
        (
            good.clone(),
            "content-type;Host;x-amz-date;x-amz-target".to_owned(),
        ),
        (
            good.clone(),
            "content-type;;host;x-amz-date;x-amz-target".to_owned(),
        ),
        (
            good.clone(),
            "content-type;host;x-amz-date;x-amz-target;".to_owned(),
        ),
        (
            good,
            format!("content-type;host;{many_absent}x-amz-date;x-amz-target"),
        ),
    ];
    for (signed_request, list) in cases {
        let answer = send(&service, with_signed_headers(signed_request, &list)).await;
        let shown = &list[..list.len().min(60)];
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{shown}");
        assert_eq!(
            answer.error_type(),
            "IncompleteSignatureException",
            "{shown}: {}",
            answer.body
        );
    }

    // What SDKs send passes: sorted lower-case names, one of which (`host`) may be missing
    // from the headers when it comes as the URI's authority (HTTP/2's `:authority`), and one
    // of which may name a header the request does not carry (its value is then empty).
    let mut authority = request("WhoAmI", "{}");
    *authority.uri_mut() = "http://localhost/".parse().expect("a URI");
    let mut authority = Signer::default().sign(authority, b"{}");
    authority.headers_mut().remove("host");
    let answer = send(&service, authority).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let mut absent = request("WhoAmI", "{}");
    absent
        .headers_mut()
        .insert("x-gone", HeaderValue::from_static(""));
    let mut absent = Signer::default().sign(absent, b"{}");
    let authorization = absent.headers()["authorization"].to_str().expect("ascii");
    assert!(authorization.contains(";x-gone,"), "{authorization}");
    absent.headers_mut().remove("x-gone");
    let answer = send(&service, absent).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}
