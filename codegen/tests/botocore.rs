//! The botocore loader: small inline documents for each mapping rule, and the equivalence of
//! the botocore 1.17.59 SSO Admin model (downloaded at test time into
//! `target/botocore-cache/1.17.59/`) with `model/sso-admin.json` at the IR level.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use codegen::ast::{Fault, JsonProtocol, Paginated, ShapeKind, SimpleType, TimestampFormat};
use codegen::ir::{self, Protocol};
use codegen::{botocore, CodegenError, ModelError};
use serde_json::{json, Value};

const NS: &str = "com.amazonaws.testsvc";

/// A minimal valid botocore document; tests add shapes and operations.
fn document() -> Value {
    json!({
        "version": "2.0",
        "metadata": {
            "apiVersion": "2024-01-01",
            "endpointPrefix": "testsvc",
            "jsonVersion": "1.1",
            "protocol": "json",
            "serviceFullName": "Test Service",
            "serviceId": "Test-Svc",
            "signatureVersion": "v4",
            "signingName": "testsigning",
            "targetPrefix": "TestService_20240101"
        },
        "documentation": "<p>The <b>test</b> service.</p>",
        "operations": {
            "Get": {
                "name": "Get",
                "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "GetRequest"},
                "output": {"shape": "GetResponse"},
                "errors": [{"shape": "Busy"}],
                "documentation": "<p>Gets.</p>"
            }
        },
        "shapes": {
            "GetRequest": {
                "type": "structure",
                "required": ["Name"],
                "members": {
                    "Name": {"shape": "Name", "documentation": "<p>The <code>name</code>.</p>"},
                    "NextToken": {"shape": "Name"},
                    "MaxResults": {"shape": "Count"}
                }
            },
            "GetResponse": {
                "type": "structure",
                "members": {
                    "Items": {"shape": "Names"},
                    "Others": {"shape": "Names"},
                    "NextToken": {"shape": "Name"}
                }
            },
            "Name": {"type": "string", "min": 1, "max": 64, "pattern": "^[a-z]+$", "sensitive": true},
            "Names": {"type": "list", "member": {"shape": "Name"}, "min": 0, "max": 10},
            "Count": {"type": "integer", "min": 1, "max": 100},
            "Busy": {
                "type": "structure",
                "members": {"Message": {"shape": "Name"}},
                "exception": true,
                "fault": true,
                "error": {"httpStatusCode": 503},
                "retryable": {"throttling": true}
            }
        }
    })
}

fn id(name: &str) -> String {
    format!("{NS}#{name}")
}

fn load(document: &Value) -> botocore::Loaded {
    botocore::load(document, None).unwrap_or_else(|e| panic!("loads: {e:#?}"))
}

fn lower(document: &Value, paginators: Option<&Value>) -> ir::Service {
    let paginators = paginators.map(Value::to_string);
    codegen::lower_model_file(&document.to_string(), paginators.as_deref())
        .unwrap_or_else(|e| panic!("lowers: {e}"))
        .value
}

fn problems(document: &Value) -> Vec<ModelError> {
    match codegen::lower_model_file(&document.to_string(), None) {
        Err(CodegenError::Model(problems)) => problems,
        other => panic!("expected model problems, got {other:?}"),
    }
}

fn assert_problem(document: &Value, shape: &str, problem: &str) {
    let problems = problems(document);
    assert!(
        problems
            .iter()
            .any(|p| p.shape == shape && p.problem.contains(problem)),
        "expected `{shape}: …{problem}…` among {problems:#?}"
    );
}

fn shape_kind(loaded: &botocore::Loaded, name: &str) -> ShapeKind {
    loaded.model.shapes[&id(name)].kind.clone()
}

#[test]
fn the_namespace_comes_from_the_service_id() {
    assert_eq!(botocore::namespace("SSO Admin"), "com.amazonaws.ssoadmin");
    assert_eq!(botocore::namespace("Test-Svc"), "com.amazonaws.testsvc");
}

#[test]
fn metadata_becomes_the_service() {
    let service = lower(&document(), None);
    assert_eq!(service.id, id("TestService_20240101"));
    assert_eq!(service.name, "TestService_20240101");
    assert_eq!(service.version, "2024-01-01");
    assert_eq!(service.sdk_id, "Test-Svc");
    assert_eq!(service.title.as_deref(), Some("Test Service"));
    assert_eq!(service.docs.as_deref(), Some("The **test** service."));
    assert_eq!(service.protocol, Protocol::AwsJson1_1);
    assert_eq!(service.signing_name, "testsigning");
    assert_eq!(service.endpoint_prefix, "testsvc");
    assert_eq!(service.operations.len(), 1);
}

#[test]
fn json_version_1_0_is_aws_json_1_0_and_signing_defaults_to_the_endpoint_prefix() {
    let mut document = document();
    document["metadata"]["jsonVersion"] = json!("1.0");
    document["metadata"]
        .as_object_mut()
        .map(|m| m.remove("signingName"));
    let loaded = load(&document);
    let service = &loaded.model.shapes[&id("TestService_20240101")];
    assert_eq!(service.traits.protocol, Some(JsonProtocol::AwsJson1_0));
    assert_eq!(service.traits.sigv4.as_deref(), Some("testsvc"));
    assert_eq!(lower(&document, None).protocol, Protocol::AwsJson1_0);
}

#[test]
fn other_protocols_are_rejected_naming_the_model() {
    for protocol in ["rest-json", "query", "ec2", "rest-xml"] {
        let mut document = document();
        document["metadata"]["protocol"] = json!(protocol);
        assert_problem(&document, "(model)", "only the AWS JSON protocols");
    }
    let mut document = document();
    document["metadata"]["jsonVersion"] = json!("2.0");
    assert_problem(&document, "(model)", "jsonVersion");
}

#[test]
fn missing_metadata_fields_are_each_reported() {
    let mut document = document();
    let metadata = document["metadata"].as_object_mut().unwrap();
    metadata.remove("serviceId");
    metadata.remove("targetPrefix");
    let problems = problems(&document);
    for field in ["serviceId", "targetPrefix"] {
        assert!(
            problems.iter().any(|p| p.problem.contains(field)),
            "{field} in {problems:#?}"
        );
    }
}

#[test]
fn a_structure_keeps_member_order_required_and_docs() {
    let service = lower(&document(), None);
    let ir::ShapeKind::Structure(input) = &service.shape(&id("GetRequest")).kind else {
        panic!("a structure");
    };
    let names: Vec<(&str, bool)> = input
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.required))
        .collect();
    assert_eq!(
        names,
        [("Name", true), ("NextToken", false), ("MaxResults", false)]
    );
    assert_eq!(input.members[0].docs.as_deref(), Some("The `name`."));
    assert_eq!(input.members[0].target, id("Name"));
    assert!(input.members[0].sensitive, "the target is sensitive");
}

#[test]
fn scalars_map_to_their_simple_types_with_constraints() {
    let mut document = document();
    let shapes = document["shapes"].as_object_mut().unwrap();
    for (name, ty) in [
        ("B", "blob"),
        ("Flag", "boolean"),
        ("L", "long"),
        ("F", "float"),
        ("D", "double"),
    ] {
        shapes.insert(name.into(), json!({"type": ty}));
    }
    shapes.insert(
        "Map".into(),
        json!({"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Count"}, "max": 5}),
    );
    let loaded = load(&document);
    for (name, ty) in [
        ("B", SimpleType::Blob),
        ("Flag", SimpleType::Boolean),
        ("L", SimpleType::Long),
        ("F", SimpleType::Float),
        ("D", SimpleType::Double),
        ("Count", SimpleType::Integer),
        ("Name", SimpleType::String),
    ] {
        assert!(
            matches!(shape_kind(&loaded, name), ShapeKind::Simple(t) if t == ty),
            "{name}"
        );
    }
    let name = &loaded.model.shapes[&id("Name")].traits;
    assert_eq!(
        (name.length.unwrap().min, name.length.unwrap().max),
        (Some(1), Some(64))
    );
    assert_eq!(name.pattern.as_deref(), Some("^[a-z]+$"));
    assert!(name.sensitive);
    let count = &loaded.model.shapes[&id("Count")].traits;
    assert_eq!(
        (count.range.unwrap().min, count.range.unwrap().max),
        (Some(1.0), Some(100.0))
    );
    assert_eq!(
        loaded.model.shapes[&id("Names")].traits.length.unwrap().max,
        Some(10)
    );
    let ShapeKind::Map { key, value } = shape_kind(&loaded, "Map") else {
        panic!("a map");
    };
    assert_eq!((key.target, value.target), (id("Name"), id("Count")));
    assert_eq!(
        loaded.model.shapes[&id("Map")].traits.length.unwrap().max,
        Some(5)
    );
}

#[test]
fn a_string_with_enum_values_is_an_enum() {
    let mut document = document();
    document["shapes"]["Kind"] = json!({"type": "string", "enum": ["USER", "GROUP", "aws:thing"]});
    let ShapeKind::Enum { values } = shape_kind(&load(&document), "Kind") else {
        panic!("an enum");
    };
    let pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|v| (v.name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("USER", "USER"),
            ("GROUP", "GROUP"),
            ("aws:thing", "aws:thing")
        ]
    );
    document["shapes"]["Kind"]["enum"] = json!([1]);
    assert_problem(&document, &id("Kind"), "`enum` must be a list of strings");
}

#[test]
fn exceptions_become_errors_with_fault_status_and_retry() {
    let mut document = document();
    document["shapes"]["Denied"] = json!({
        "type": "structure",
        "members": {},
        "exception": true,
        "error": {"httpStatusCode": 403, "senderFault": true},
        "retryable": {}
    });
    let loaded = load(&document);
    let busy = &loaded.model.shapes[&id("Busy")].traits;
    assert_eq!(busy.error, Some(Fault::Server));
    assert_eq!(busy.http_error, Some(503));
    assert_eq!(busy.retryable, Some(true));
    let denied = &loaded.model.shapes[&id("Denied")].traits;
    assert_eq!(denied.error, Some(Fault::Client));
    assert_eq!(denied.http_error, Some(403));
    assert_eq!(denied.retryable, Some(false));
    let service = lower(&document, None);
    let ir::ShapeKind::Structure(busy) = &service.shape(&id("Busy")).kind else {
        panic!("a structure");
    };
    let error = busy.error.expect("an error");
    assert_eq!(
        (error.fault, error.http_status, error.throttling),
        (Fault::Server, 503, true)
    );
    let errors: Vec<&str> = service.operations[0]
        .errors
        .iter()
        .map(|case| case.shape.as_str())
        .collect();
    assert_eq!(errors, [id("Busy")]);

    document["shapes"]["Denied"]["error"]["httpStatusCode"] = json!(200);
    assert_problem(&document, &id("Denied"), "httpStatusCode");
}

#[test]
fn timestamp_formats_map_to_smithy_formats() {
    let mut document = document();
    let shapes = document["shapes"].as_object_mut().unwrap();
    shapes.insert("Plain".into(), json!({"type": "timestamp"}));
    shapes.insert(
        "Iso".into(),
        json!({"type": "timestamp", "timestampFormat": "iso8601"}),
    );
    shapes.insert(
        "Unix".into(),
        json!({"type": "timestamp", "timestampFormat": "unixTimestamp"}),
    );
    shapes.insert(
        "Http".into(),
        json!({"type": "timestamp", "timestampFormat": "rfc822"}),
    );
    shapes.insert(
        "Times".into(),
        json!({"type": "structure", "members": {"At": {"shape": "Plain", "timestampFormat": "iso8601"}}}),
    );
    let loaded = load(&document);
    let format = |name: &str| loaded.model.shapes[&id(name)].traits.timestamp_format;
    assert_eq!(format("Plain"), None);
    assert_eq!(format("Iso"), Some(TimestampFormat::DateTime));
    assert_eq!(format("Unix"), Some(TimestampFormat::EpochSeconds));
    assert_eq!(format("Http"), Some(TimestampFormat::HttpDate));
    let ShapeKind::Structure { members } = shape_kind(&loaded, "Times") else {
        panic!("a structure");
    };
    assert_eq!(
        members[0].traits.timestamp_format,
        Some(TimestampFormat::DateTime)
    );
    document["shapes"]["Iso"]["timestampFormat"] = json!("julian");
    assert_problem(&document, &id("Iso"), "timestampFormat");
}

#[test]
fn union_and_document_structures() {
    let mut document = document();
    document["shapes"]["Choice"] = json!({
        "type": "structure",
        "union": true,
        "members": {"A": {"shape": "Name"}, "B": {"shape": "Count"}}
    });
    document["shapes"]["Doc"] = json!({"type": "structure", "document": true});
    let loaded = load(&document);
    let ShapeKind::Union { members } = shape_kind(&loaded, "Choice") else {
        panic!("a union");
    };
    assert_eq!(members.len(), 2);
    assert!(matches!(
        shape_kind(&loaded, "Doc"),
        ShapeKind::Simple(SimpleType::Document)
    ));
}

#[test]
fn member_and_shape_flags() {
    let mut document = document();
    document["shapes"]["GetRequest"]["members"]["Token"] = json!({
        "shape": "Name",
        "idempotencyToken": true,
        "deprecated": true,
        "deprecatedMessage": "Use Name.",
        "box": true,
        "jsonvalue": true
    });
    document["shapes"]["Old"] =
        json!({"type": "string", "deprecated": true, "documentation": "<p>Old.</p>"});
    let loaded = load(&document);
    let ShapeKind::Structure { members } = shape_kind(&loaded, "GetRequest") else {
        panic!("a structure");
    };
    let token = members.iter().find(|m| m.name == "Token").unwrap();
    assert!(token.traits.idempotency_token);
    assert_eq!(token.traits.deprecated, Some(Some("Use Name.".to_owned())));
    assert_eq!(token.target, id("Name"));
    let old = &loaded.model.shapes[&id("Old")].traits;
    assert_eq!(old.deprecated, Some(None));
    assert_eq!(old.documentation.as_deref(), Some("Old."));
}

#[test]
fn operations_without_input_or_output_get_empty_structures() {
    let mut document = document();
    document["operations"]["Ping"] = json!({"name": "Ping", "deprecated": true});
    let loaded = load(&document);
    assert!(matches!(
        shape_kind(&loaded, "Ping"),
        ShapeKind::Operation { input: None, output: None, ref errors } if errors.is_empty()
    ));
    let service = lower(&document, None);
    let ping = service
        .operations
        .iter()
        .find(|o| o.name == "Ping")
        .unwrap();
    assert_eq!(ping.deprecated, Some(None));
    assert_eq!(ping.input, format!("{}$input", id("Ping")));
}

#[test]
fn paginators_become_paginated_and_lists_keep_their_first_entry() {
    let paginators = json!({"pagination": {"Get": {
        "input_token": ["NextToken"],
        "output_token": "NextToken",
        "limit_key": "MaxResults",
        "result_key": ["Items", "Others"]
    }}});
    let loaded = botocore::load(&document(), Some(&paginators)).unwrap();
    assert_eq!(
        loaded.model.shapes[&id("Get")].traits.paginated,
        Some(Paginated {
            input_token: Some("NextToken".into()),
            output_token: Some("NextToken".into()),
            items: Some("Items".into()),
            page_size: Some("MaxResults".into()),
        })
    );
    assert_eq!(loaded.notes.len(), 1, "{:?}", loaded.notes);
    assert_eq!(loaded.notes[0].shape, id("Get"));
    assert!(loaded.notes[0].problem.contains("Others"));

    let lowered =
        codegen::lower_model_file(&document().to_string(), Some(&paginators.to_string())).unwrap();
    assert_eq!(lowered.notes.len(), 1);
    let pagination = lowered.value.operations[0].pagination.clone().unwrap();
    assert_eq!(
        pagination
            .items
            .as_ref()
            .map(|(items, _)| items.name.as_str()),
        Some("Items")
    );
}

#[test]
fn a_paginator_for_an_unknown_operation_or_member_is_an_error() {
    let paginators =
        json!({"pagination": {"Nope": {"input_token": "NextToken", "output_token": "NextToken"}}});
    let errors = botocore::load(&document(), Some(&paginators)).unwrap_err();
    assert_eq!(errors[0].shape, id("Nope"));
    let paginators =
        json!({"pagination": {"Get": {"input_token": "Missing", "output_token": "NextToken"}}});
    match codegen::lower_model_file(&document().to_string(), Some(&paginators.to_string())) {
        Err(CodegenError::Model(problems)) => {
            assert!(
                problems
                    .iter()
                    .any(|p| p.shape == id("Get") && p.problem.contains("Missing")),
                "{problems:#?}"
            );
        }
        other => panic!("expected a problem, got {other:?}"),
    }
}

#[test]
fn html_documentation_becomes_markdown() {
    let mut document = document();
    document["shapes"]["Name"]["documentation"] = json!(
        "<p>See <a href=\"/general/latest/gr/aws-arns.html\">ARNs</a> in the <i>Guide</i>.</p><ul><li><p>One &amp; two</p></li><li>Three</li></ul><note><p>Keep &lt;this&gt;.</p></note>"
    );
    let loaded = load(&document);
    assert_eq!(
        loaded.model.shapes[&id("Name")].traits.documentation.as_deref(),
        Some(
            "See [ARNs](https://docs.aws.amazon.com/general/latest/gr/aws-arns.html) in the *Guide*.\n\n- One &amp; two\n- Three\n\n**Note:** Keep &lt;this&gt;."
        )
    );
}

#[test]
fn bad_shapes_are_errors_naming_the_shape_or_member() {
    let mut document = document();
    let shapes = document["shapes"].as_object_mut().unwrap();
    shapes.insert("Weird".into(), json!({"type": "character"}));
    shapes.insert("NoType".into(), json!({"min": 1}));
    shapes.insert(
        "BadMember".into(),
        json!({"type": "structure", "members": {"X": {}}, "required": ["Y"]}),
    );
    shapes.insert("Flagged".into(), json!({"type": "boolean", "min": 1}));
    shapes.insert(
        "BadRange".into(),
        json!({"type": "string", "min": 5, "max": 1}),
    );
    shapes.insert(
        "Dangling".into(),
        json!({"type": "list", "member": {"shape": "Nowhere"}}),
    );
    document["operations"]["Get"]["output"] = json!({"shape": "Dangling"});
    let errors = botocore::load(&document, None).unwrap_err();
    let expect = [
        (id("Weird"), "unknown shape type `character`"),
        (id("NoType"), "no string `type`"),
        (id("BadMember$X"), "no string `shape`"),
        (id("BadMember$Y"), "not a member"),
        (id("Flagged"), "do not apply to a boolean"),
        (id("BadRange"), "`min` is greater than `max`"),
    ];
    for (shape, problem) in expect {
        assert!(
            errors
                .iter()
                .any(|e| e.shape == shape && e.problem.contains(problem)),
            "`{shape}: {problem}` among {errors:#?}"
        );
    }
}

#[test]
fn a_dangling_member_is_caught_by_the_validator() {
    let mut document = document();
    document["shapes"]["Names"]["member"]["shape"] = json!("Nowhere");
    assert_problem(&document, &id("Names$member"), "not defined");
}

#[test]
fn an_operation_named_like_a_shape_is_an_error() {
    let mut document = document();
    document["shapes"]["Get"] = json!({"type": "string"});
    let errors = botocore::load(&document, None).unwrap_err();
    assert!(errors.iter().any(|e| e.shape == id("Get")), "{errors:#?}");
}

#[test]
fn odd_documents_are_errors_not_panics() {
    for odd in [
        json!([]),
        json!({"metadata": 1, "operations": {}, "shapes": {}}),
        json!({"metadata": {}, "operations": [], "shapes": []}),
    ] {
        assert!(botocore::load(&odd, None).is_err(), "{odd}");
    }
    let mut document = document();
    document["shapes"]["GetRequest"]["members"] = json!([]);
    document["operations"]["Get"]["errors"] = json!({});
    document["operations"]["Get"]["input"] = json!("GetRequest");
    assert!(botocore::load(&document, None).is_err());
}

#[test]
fn the_format_is_detected_from_the_content() {
    use codegen::ModelFormat;
    assert_eq!(
        ModelFormat::detect(&document()),
        Some(ModelFormat::Botocore)
    );
    assert_eq!(
        ModelFormat::detect(&json!({"smithy": "2.0", "shapes": {}})),
        Some(ModelFormat::Smithy)
    );
    assert_eq!(ModelFormat::detect(&json!({"shapes": {}})), None);
    let smithy = std::fs::read_to_string(workspace_root().join("model/sso-admin.json")).unwrap();
    let lowered = codegen::lower_model_file(&smithy, Some("{}")).unwrap();
    assert_eq!(lowered.value.operations.len(), 27);
    assert_eq!(lowered.notes.len(), 1, "the paginators document is ignored");
}

// ---------------------------------------------------------------------------------------------
// Equivalence with the Smithy model.

/// The botocore release of 2020-09-10, the first to carry `sso-admin`.
const BOTOCORE_VERSION: &str = "1.17.59";
const SSO_ADMIN_DIR: &str = "botocore/data/sso-admin/2020-07-20";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `service-2.json` and `paginators-1.json` of SSO Admin from the botocore wheel, downloaded
/// and extracted the first time, then read from the cache.
fn botocore_sso_admin() -> (String, String) {
    let members = [
        format!("{SSO_ADMIN_DIR}/service-2.json"),
        format!("{SSO_ADMIN_DIR}/paginators-1.json"),
    ];
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    let cache = sso_admin_tests::botocore_wheel_files(BOTOCORE_VERSION, &members);
    let read = |member: &str| {
        std::fs::read_to_string(cache.join(member))
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", cache.join(member).display()))
    };
    (read(members[0]), read(members[1]))
}

/// Collects differences between the two IRs, each a line naming where, and what was not
/// compared because botocore does not say.
struct Differences {
    /// The botocore document's `shapes`, to tell what botocore states from what it leaves out.
    botocore_shapes: Value,
    found: Vec<String>,
    not_compared: Vec<String>,
}

impl Differences {
    fn check<T: PartialEq + Debug>(&mut self, at: &str, what: &str, botocore: T, smithy: T) {
        if botocore != smithy {
            self.found.push(format!(
                "{at}: {what}: botocore {botocore:?} != smithy {smithy:?}"
            ));
        }
    }

    /// Compares only when botocore's shape `name` has `field` (else notes the Smithy value).
    fn check_if_stated<T: PartialEq + Debug>(
        &mut self,
        name: &str,
        field: &[&str],
        what: &str,
        botocore: T,
        smithy: T,
    ) {
        let stated = field
            .iter()
            .try_fold(&self.botocore_shapes[name], |value, key| value.get(key))
            .is_some();
        let at = format!("shape {name}");
        if stated {
            self.check(&at, what, botocore, smithy);
        } else if botocore != smithy {
            self.not_compared.push(format!(
                "{at}: {what}: botocore has no `{}`; smithy says {smithy:?}",
                field.join(".")
            ));
        }
    }
}

/// The kind of a shape and its name (ids differ only in namespace, so names are compared).
fn kind_and_name(service: &ir::Service, id: &str) -> String {
    let kind = match service.shapes.get(id).map(|shape| &shape.kind) {
        Some(ir::ShapeKind::Structure(_)) => "structure".to_owned(),
        Some(ir::ShapeKind::Union(_)) => "union".to_owned(),
        Some(ir::ShapeKind::Enum(_)) => "enum".to_owned(),
        Some(ir::ShapeKind::IntEnum(_)) => "intEnum".to_owned(),
        Some(ir::ShapeKind::List { .. }) => "list".to_owned(),
        Some(ir::ShapeKind::Map { .. }) => "map".to_owned(),
        Some(ir::ShapeKind::Simple { ty, .. }) => format!("{ty:?}"),
        None => "(missing)".to_owned(),
    };
    format!("{kind} {}", codegen::ast::shape_name(id))
}

/// A member's effective constraints: its own, else its target's.
fn effective_constraints(service: &ir::Service, member: &ir::Member) -> ir::Constraints {
    let target = match service.shapes.get(&member.target).map(|shape| &shape.kind) {
        Some(ir::ShapeKind::Simple { constraints, .. }) => constraints.clone(),
        Some(ir::ShapeKind::List { length, .. } | ir::ShapeKind::Map { length, .. }) => {
            ir::Constraints {
                length: *length,
                ..Default::default()
            }
        }
        _ => ir::Constraints::default(),
    };
    let own = &member.constraints;
    ir::Constraints {
        length: own.length.or(target.length),
        pattern: own.pattern.clone().or(target.pattern),
        range: own.range.or(target.range),
    }
}

fn compare_services(b: &ir::Service, s: &ir::Service, out: &mut Differences) {
    out.check("service", "name", &b.name, &s.name);
    out.check("service", "version", &b.version, &s.version);
    out.check("service", "sdk id", &b.sdk_id, &s.sdk_id);
    out.check("service", "title", &b.title, &s.title);
    out.check("service", "protocol", b.protocol, s.protocol);
    out.check("service", "signing name", &b.signing_name, &s.signing_name);
    out.check(
        "service",
        "endpoint prefix",
        &b.endpoint_prefix,
        &s.endpoint_prefix,
    );
    out.check("service", "crate name", &b.crate_name, &s.crate_name);
    let names = |service: &ir::Service| -> Vec<String> {
        service.operations.iter().map(|o| o.name.clone()).collect()
    };
    out.check("service", "operations", names(b), names(s));
    for bo in &b.operations {
        if let Some(so) = s.operations.iter().find(|o| o.name == bo.name) {
            compare_operations(b, bo, s, so, out);
        }
    }
    let shape_names = |service: &ir::Service| -> Vec<String> {
        service
            .shapes
            .keys()
            .map(|id| kind_and_name(service, id))
            .collect()
    };
    out.check("service", "shapes reached", shape_names(b), shape_names(s));
    for (id, bs) in &b.shapes {
        let smithy_id = format!("com.amazonaws.ssoadmin#{}", codegen::ast::shape_name(id));
        if let Some(ss) = s.shapes.get(&smithy_id) {
            compare_shapes(b, bs, s, ss, out);
        }
    }
}

fn compare_operations(
    b: &ir::Service,
    bo: &ir::Operation,
    s: &ir::Service,
    so: &ir::Operation,
    out: &mut Differences,
) {
    let at = format!("operation {}", bo.name);
    out.check(
        &at,
        "input",
        kind_and_name(b, &bo.input),
        kind_and_name(s, &so.input),
    );
    out.check(
        &at,
        "output",
        kind_and_name(b, &bo.output),
        kind_and_name(s, &so.output),
    );
    let errors = |service: &ir::Service, operation: &ir::Operation| -> Vec<String> {
        let mut errors: Vec<String> = operation
            .errors
            .iter()
            .map(|case| kind_and_name(service, &case.shape))
            .collect();
        errors.sort();
        errors
    };
    out.check(&at, "errors", errors(b, bo), errors(s, so));
    // The members a paginator reads, by wire name (their docs may differ between the models).
    let pagination = |operation: &ir::Operation| {
        operation.pagination.as_ref().map(|p| {
            (
                p.input_token.name.clone(),
                p.output_token.name.clone(),
                p.items
                    .as_ref()
                    .map(|(items, item)| (items.name.clone(), item.clone())),
                p.page_size.as_ref().map(|size| size.name.clone()),
            )
        })
    };
    out.check(&at, "pagination", pagination(bo), pagination(so));
    out.check(&at, "deprecated", &bo.deprecated, &so.deprecated);
    out.check(&at, "module", &bo.module, &so.module);
}

fn compare_shapes(
    b: &ir::Service,
    bs: &ir::Shape,
    s: &ir::Service,
    ss: &ir::Shape,
    out: &mut Differences,
) {
    let at = format!("shape {}", codegen::ast::shape_name(&bs.id));
    out.check(
        &at,
        "kind",
        kind_and_name(b, &bs.id),
        kind_and_name(s, &ss.id),
    );
    out.check(&at, "rust name", &bs.name, &ss.name);
    out.check(&at, "module", &bs.module, &ss.module);
    out.check(&at, "sensitive", bs.sensitive, ss.sensitive);
    out.check(&at, "deprecated", &bs.deprecated, &ss.deprecated);
    match (&bs.kind, &ss.kind) {
        (ir::ShapeKind::Structure(bst), ir::ShapeKind::Structure(sst)) => {
            compare_members(b, &bst.members, s, &sst.members, &at, out);
            let name = codegen::ast::shape_name(&bs.id);
            compare_errors(bst.error, sst.error, name, out);
        }
        (ir::ShapeKind::Union(bm), ir::ShapeKind::Union(sm)) => {
            compare_members(b, bm, s, sm, &at, out)
        }
        (ir::ShapeKind::Enum(bv), ir::ShapeKind::Enum(sv)) => {
            let values = |variants: &[ir::EnumVariant]| -> Vec<(String, String)> {
                variants
                    .iter()
                    .map(|v| (v.name.clone(), v.value.clone()))
                    .collect()
            };
            out.check(&at, "enum values", values(bv), values(sv));
        }
        (
            ir::ShapeKind::List {
                member: bm,
                length: bl,
            },
            ir::ShapeKind::List {
                member: sm,
                length: sl,
            },
        ) => {
            out.check(&at, "member", kind_and_name(b, bm), kind_and_name(s, sm));
            out.check(&at, "length", bl, sl);
        }
        (
            ir::ShapeKind::Map {
                key: bk,
                value: bv,
                length: bl,
            },
            ir::ShapeKind::Map {
                key: sk,
                value: sv,
                length: sl,
            },
        ) => {
            out.check(&at, "key", kind_and_name(b, bk), kind_and_name(s, sk));
            out.check(&at, "value", kind_and_name(b, bv), kind_and_name(s, sv));
            out.check(&at, "length", bl, sl);
        }
        (
            ir::ShapeKind::Simple {
                ty: bt,
                constraints: bc,
                timestamp_format: bf,
            },
            ir::ShapeKind::Simple {
                ty: st,
                constraints: sc,
                timestamp_format: sf,
            },
        ) => {
            out.check(&at, "type", bt, st);
            out.check(&at, "constraints", bc, sc);
            out.check(&at, "timestamp format", bf, sf);
        }
        _ => {} // a kind difference is already reported
    }
}

fn compare_members(
    b: &ir::Service,
    bm: &[ir::Member],
    s: &ir::Service,
    sm: &[ir::Member],
    at: &str,
    out: &mut Differences,
) {
    let names = |members: &[ir::Member]| -> Vec<String> {
        members.iter().map(|m| m.name.clone()).collect()
    };
    out.check(at, "member names (in order)", names(bm), names(sm));
    for bmember in bm {
        let Some(smember) = sm.iter().find(|m| m.name == bmember.name) else {
            continue;
        };
        let at = format!("{at}${}", bmember.name);
        out.check(
            &at,
            "target",
            kind_and_name(b, &bmember.target),
            kind_and_name(s, &smember.target),
        );
        out.check(&at, "required", bmember.required, smember.required);
        out.check(&at, "sensitive", bmember.sensitive, smember.sensitive);
        out.check(&at, "boxed", bmember.boxed, smember.boxed);
        out.check(&at, "deprecated", &bmember.deprecated, &smember.deprecated);
        out.check(
            &at,
            "constraints (own, else the target's)",
            effective_constraints(b, bmember),
            effective_constraints(s, smember),
        );
    }
}

/// Fault, retryability and status are compared only where botocore states them: botocore
/// 1.17.59 has no `retryable` field at all, `fault` only where it is true, and no statuses for
/// SSO Admin.
fn compare_errors(
    b: Option<ir::ErrorInfo>,
    s: Option<ir::ErrorInfo>,
    name: &str,
    out: &mut Differences,
) {
    match (b, s) {
        (Some(b), Some(s)) => {
            out.check_if_stated(name, &["fault"], "error fault", b.fault, s.fault);
            let retry = |e: ir::ErrorInfo| (e.retryable, e.throttling);
            out.check_if_stated(
                name,
                &["retryable"],
                "error (retryable, throttling)",
                retry(b),
                retry(s),
            );
            out.check_if_stated(
                name,
                &["error", "httpStatusCode"],
                "error status",
                b.http_status,
                s.http_status,
            );
        }
        (b, s) => out.check(
            &format!("shape {name}"),
            "is an error",
            b.is_some(),
            s.is_some(),
        ),
    }
}

#[test]
fn botocore_1_17_59_sso_admin_matches_the_smithy_model() {
    let (service, paginators) = botocore_sso_admin();
    let from_botocore = codegen::lower_model_file(&service, Some(&paginators))
        .unwrap_or_else(|e| panic!("the botocore model lowers: {e}"));
    assert!(
        from_botocore.notes.is_empty(),
        "notes: {:#?}",
        from_botocore.notes
    );
    let smithy = std::fs::read_to_string(workspace_root().join("model/sso-admin.json"))
        .expect("read model/sso-admin.json");
    let from_smithy = codegen::lower_model(&smithy).expect("the Smithy model lowers");
    assert_eq!(
        from_botocore.value.id,
        "com.amazonaws.ssoadmin#SWBExternalService"
    );
    let mut differences = Differences {
        botocore_shapes: serde_json::from_str::<Value>(&service).unwrap()["shapes"].clone(),
        found: Vec::new(),
        not_compared: Vec::new(),
    };
    compare_services(&from_botocore.value, &from_smithy, &mut differences);
    for skipped in &differences.not_compared {
        println!("not compared: {skipped}");
    }
    for difference in &differences.found {
        println!("difference: {difference}");
    }
    assert!(
        differences.found.is_empty(),
        "{} difference(s) between botocore {BOTOCORE_VERSION} and model/sso-admin.json:\n{}",
        differences.found.len(),
        differences.found.join("\n")
    );
}

#[test]
fn query_compatibility_and_query_error_codes_are_read() {
    let service = lower(&document(), None);
    assert_eq!(service.query_compatible, None);
    let mut document = document();
    document["metadata"]["awsQueryCompatible"] = json!({});
    document["shapes"]["Busy"]["error"]["code"] = json!("Service.Busy");
    let service = lower(&document, None);
    let codes = service.query_compatible.expect("query-compatible");
    assert_eq!(codes.get("Busy").map(String::as_str), Some("Service.Busy"));
    assert_eq!(codes.len(), 1);
    document["shapes"]["Busy"]["error"]["code"] = json!(7);
    assert_problem(&document, &id("Busy"), "`error.code` must be a string");
}

#[test]
fn patterns_are_anchored_to_the_whole_value() {
    use codegen::validate::{anchor_pattern, quoted_pattern};
    for (bare, anchored) in [
        (r"\d{12}", r"^\d{12}$"),
        (r"^[a-z]+$", r"^[a-z]+$"),
        (r"^[a-zA-Z0-9-]*", r"^[a-zA-Z0-9-]*$"),
        (r"[\w+=,.@-]+", r"^[\w+=,.@-]+$"),
        (r"a\$", r"^a\$$"),
        (r"a\\$", r"^a\\$"),
        (r"[|]x", r"^[|]x$"),
        (r"(a|b)c", r"^(a|b)c$"),
        (r"(?i)all|[0-9]{12}", r"^(?i)(?:all|[0-9]{12})$"),
        (r"(?s).{0,120}", r"^(?s).{0,120}$"),
        (r"^a|b$", r"^(?:^a|b$)$"),
    ] {
        assert_eq!(anchor_pattern(bare), anchored, "{bare}");
        assert_eq!(anchor_pattern(anchored), anchored, "{anchored} is stable");
    }
    for (anchored, quoted) in [
        (r"^\d{12}$", r"\d{12}"),
        (r"^(?:all|[0-9]{12})$", r"all|[0-9]{12}"),
        (r"^(?i)(?:all|[0-9]{12})$", r"(?i)all|[0-9]{12}"),
        (r"^(?s).{0,120}$", r"(?s).{0,120}"),
        (r"^(a)(b)$", r"(a)(b)"),
        (r"^a$|^b$", r"^a$|^b$"),
        (r"\d{12}", r"\d{12}"),
        (r"^a\$", r"^a\$"),
    ] {
        assert_eq!(quoted_pattern(anchored), quoted, "{anchored}");
    }
    let mut document = document();
    document["shapes"]["Name"]["pattern"] = json!(r"[a-z]+");
    let loaded = load(&document);
    assert_eq!(
        loaded.model.shapes[&id("Name")].traits.pattern.as_deref(),
        Some(r"^[a-z]+$")
    );
}

#[test]
fn request_compression_and_the_endpoint_trait_reach_the_ir() {
    let mut document = document();
    let plain = lower(&document, None);
    assert!(plain.operations[0].request_compression.is_empty());
    assert_eq!(plain.operations[0].host_prefix, None);
    let get = &mut document["operations"]["Get"];
    get["requestcompression"] = json!({"encodings": ["gzip"]});
    get["endpoint"] = json!({"hostPrefix": "data.{Name}."});
    document["shapes"]["GetRequest"]["members"]["Name"]["hostLabel"] = json!(true);
    let service = lower(&document, None);
    assert_eq!(service.operations[0].request_compression, ["gzip"]);
    assert_eq!(
        service.operations[0].host_prefix.as_deref(),
        Some("data.{Name}.")
    );

    // A label must name a `hostLabel` member of the input.
    document["operations"]["Get"]["endpoint"] = json!({"hostPrefix": "{NextToken}."});
    assert_problem(
        &document,
        &id("Get"),
        "names `NextToken`, which is not a `hostLabel` member",
    );
    document["operations"]["Get"]["endpoint"] = json!({"hostPrefix": 7});
    assert_problem(
        &document,
        &id("Get"),
        "`endpoint` needs a string `hostPrefix`",
    );
    document["operations"]["Get"]["endpoint"] = json!({"hostPrefix": "a."});
    document["operations"]["Get"]["requestcompression"] = json!({"encodings": "gzip"});
    assert_problem(
        &document,
        &id("Get"),
        "`encodings` must be a list of strings",
    );
}
