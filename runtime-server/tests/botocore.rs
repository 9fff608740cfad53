//! botocore, the AWS SDK for Python, as a real client of the fake service over TCP: it signs
//! with SigV4 and parses our outputs and errors. Skipped (with a note) where Python or botocore
//! is not installed.

mod common;

use std::collections::HashMap;
use std::process::Command;

use aws_json_server::serve;
use aws_json_server::sigv4::SigV4Config;
use common::builder;

const SCRIPT: &str = r#"
import json, os, sys, tempfile
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

port = sys.argv[1]
string = {"type": "string"}
model = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2024-01-01", "endpointPrefix": "fake", "jsonVersion": "1.1",
        "protocol": "json", "serviceFullName": "Fake Service", "serviceId": "Fake",
        "signatureVersion": "v4", "signingName": "fake", "targetPrefix": "FakeService",
        "uid": "fake-2024-01-01",
    },
    "operations": {
        name: {"name": name, "http": {"method": "POST", "requestUri": "/"},
               "input": {"shape": name + "Input"}, "output": {"shape": name + "Output"},
               "errors": [{"shape": "ResourceNotFoundException"}]}
        for name in ["Greet", "Fail", "WhoAmI"]
    },
    "shapes": {
        "String": string,
        "Integer": {"type": "integer"},
        "GreetInput": {"type": "structure", "required": ["Name"], "members": {
            "Name": {"shape": "String"}, "Times": {"shape": "Integer"}}},
        "GreetOutput": {"type": "structure", "members": {"Greeting": {"shape": "String"}}},
        "FailInput": {"type": "structure", "required": ["Mode"], "members": {
            "Mode": {"shape": "String"}}},
        "FailOutput": {"type": "structure", "members": {}},
        "WhoAmIInput": {"type": "structure", "members": {}},
        "WhoAmIOutput": {"type": "structure", "members": {
            "Caller": {"shape": "String"}, "RequestId": {"shape": "String"}}},
        "ResourceNotFoundException": {"type": "structure", "members": {
            "Message": {"shape": "String"}, "ResourceId": {"shape": "String"}},
            "exception": True, "error": {"httpStatusCode": 404, "senderFault": True}},
    },
}
data = tempfile.mkdtemp()
os.makedirs(os.path.join(data, "fake", "2024-01-01"))
with open(os.path.join(data, "fake", "2024-01-01", "service-2.json"), "w") as f:
    json.dump(model, f)
session = botocore.session.get_session()
session.get_component("data_loader").search_paths.insert(0, data)

def client(secret):
    return session.create_client(
        "fake", region_name="us-east-1", endpoint_url="http://127.0.0.1:" + port,
        aws_access_key_id="AKIDBOTO", aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}))

def error_of(call):
    try:
        call()
    except ClientError as error:
        return error.response
    raise AssertionError("expected an error")

good = client("boto-secret")
out = good.greet(Name="boto", Times=2)
assert out["Greeting"] == "Hello, boto!Hello, boto!", out
assert len(out["ResponseMetadata"]["RequestId"]) == 36, out
assert good.who_am_i()["Caller"] == "AKIDBOTO"

e = error_of(lambda: good.fail(Mode="modeled"))
assert e["Error"]["Code"] == "ResourceNotFoundException", e
assert e["Error"]["Message"] == "No such thing", e
assert e["ResponseMetadata"]["HTTPStatusCode"] == 404, e
assert len(e["ResponseMetadata"]["RequestId"]) == 36, e

e = error_of(lambda: good.greet(Name="x" * 17))
assert e["Error"]["Code"] == "ValidationException", e
assert "Member must have length less than or equal to 16" in e["Error"]["Message"], e

e = error_of(lambda: good.fail(Mode="unhandled"))
assert e["Error"]["Code"] == "ServiceUnavailableException", e
assert e["Error"]["Message"] == "Try later", e

e = error_of(lambda: client("wrong-secret").who_am_i())
assert e["Error"]["Code"] == "InvalidSignatureException", e
assert e["ResponseMetadata"]["HTTPStatusCode"] == 403, e
print("botocore: all checks passed")
"#;

/// The Python of the pinned test tools (`cargo xtask install-test-tools` installs them into
/// `target/venv`; `AWS_JSON_TEST_VENV` points elsewhere). Missing tools fail the test: it must
/// not pass without running.
fn venv_python() -> std::path::PathBuf {
    let venv = std::env::var_os("AWS_JSON_TEST_VENV")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/venv"));
    let python = venv.join("bin/python");
    assert!(
        python.exists(),
        "{} is missing: run `cargo xtask install-test-tools` (or `cargo xtask test`)",
        python.display()
    );
    python
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn botocore_signs_and_parses_like_against_aws() {
    let python = venv_python();
    let service = builder()
        .sigv4(SigV4Config::new(HashMap::from([(
            "AKIDBOTO".to_owned(),
            "boto-secret".to_owned(),
        )])))
        .build()
        .expect("builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let port = listener.local_addr().expect("an address").port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, service, async {
        let _ = stopped.await;
    }));

    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .args(["-c", SCRIPT, &port.to_string()])
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .output()
    })
    .await
    .expect("the client task does not panic")
    .expect("the venv python runs");
    let _ = stop.send(());
    let _ = server.await;
    assert!(
        output.status.success(),
        "botocore failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("all checks passed"));
}
