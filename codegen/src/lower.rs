//! Stage 3: the validated AST → the typed IR, deciding every Rust name and module once.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{self, shape_name, Model, ShapeKind};
use crate::error::ModelError;
use crate::ir::{self, Module};
use crate::naming;
use crate::validate::UNIT;

/// Lowers a model that [`crate::validate::model`] accepted, for the service `service_id`.
pub fn lower(model: &Model, service_id: &str) -> Result<ir::Service, Vec<ModelError>> {
    Lowering {
        model,
        shapes: BTreeMap::new(),
        errors: Vec::new(),
    }
    .service(service_id)
}

struct Lowering<'a> {
    model: &'a Model,
    shapes: BTreeMap<String, ir::Shape>,
    errors: Vec<ModelError>,
}

impl<'a> Lowering<'a> {
    fn get(&mut self, id: &str) -> Option<&'a ast::Shape> {
        let shape = self.model.shapes.get(id);
        if shape.is_none() {
            self.errors
                .push(ModelError::new(id, "referenced but not defined"));
        }
        shape
    }

    fn service(mut self, service_id: &str) -> Result<ir::Service, Vec<ModelError>> {
        let Some(service) = self.get(service_id) else {
            return Err(self.errors);
        };
        let ShapeKind::Service {
            version,
            operations,
            resources,
            errors: service_errors,
        } = &service.kind
        else {
            return Err(vec![ModelError::new(service_id, "is not a service")]);
        };
        let traits = &service.traits;
        let name = shape_name(service_id).to_owned();
        let sdk_id = traits
            .aws_service
            .as_ref()
            .map_or_else(|| name.clone(), |aws| aws.sdk_id.clone());
        let protocol = match traits.protocol {
            Some(ast::JsonProtocol::AwsJson1_0) => ir::Protocol::AwsJson1_0,
            Some(ast::JsonProtocol::AwsJson1_1) => ir::Protocol::AwsJson1_1,
            None => {
                return Err(vec![ModelError::new(
                    service_id,
                    "the service has neither `aws.protocols#awsJson1_0` nor `aws.protocols#awsJson1_1`: only the AWS JSON protocols are supported",
                )])
            }
        };
        let endpoint_prefix = traits
            .aws_service
            .as_ref()
            .and_then(|aws| {
                aws.endpoint_prefix
                    .clone()
                    .or_else(|| aws.arn_namespace.clone())
            })
            .unwrap_or_else(|| naming::crate_name(&sdk_id));
        let signing_name = traits
            .sigv4
            .clone()
            .unwrap_or_else(|| endpoint_prefix.clone());

        let endpoint_rules = match &traits.endpoint_rule_set {
            Some(document) => match crate::endpoint_rules::lower(service_id, document) {
                Ok(rules) => Some(rules),
                Err(error) => return Err(vec![error]),
            },
            None => None,
        };

        let mut operation_ids = BTreeSet::new();
        self.collect_operations(operations, resources, &mut operation_ids);
        let mut lowered = Vec::new();
        for id in operation_ids {
            if let Some(operation) = self.operation(&id, service_errors) {
                lowered.push(operation);
            }
        }
        lowered.sort_by(|a, b| a.name.cmp(&b.name));
        disambiguate_operations(&mut lowered);
        self.place_operation_shapes(&lowered);
        disambiguate_shapes(&mut self.shapes);
        name_accessors(&mut self.shapes);
        for operation in &mut lowered {
            self.name_error_cases(operation);
            self.resolve_pagination(operation);
        }
        decide_client_serde(&mut self.shapes, &lowered);
        let crate_name = naming::crate_name(&sdk_id);
        let marker = naming::type_name(&sdk_id);
        let service = ir::Service {
            id: service_id.to_owned(),
            name,
            version: version.clone(),
            library_name: naming::library_name(&crate_name),
            service_trait: naming::service_trait_name(&marker),
            crate_name,
            marker,
            sdk_id,
            title: traits.title.clone(),
            docs: traits.documentation.clone(),
            protocol,
            signing_name,
            endpoint_prefix,
            query_compatible: traits
                .aws_query_compatible
                .then(|| self.query_error_codes()),
            operations: lowered,
            shapes: self.shapes,
            endpoint_rules,
        };
        if self.errors.is_empty() {
            Ok(service)
        } else {
            Err(self.errors)
        }
    }

    /// The Query codes (`awsQueryError`) of the lowered error structures, by error code.
    fn query_error_codes(&self) -> BTreeMap<String, String> {
        self.shapes
            .keys()
            .filter_map(|id| {
                let code = self.model.shapes.get(id)?.traits.aws_query_error.clone()?;
                Some((shape_name(id).to_owned(), code))
            })
            .collect()
    }

    fn collect_operations(
        &mut self,
        operations: &[String],
        resources: &[String],
        into: &mut BTreeSet<String>,
    ) {
        into.extend(operations.iter().cloned());
        for id in resources {
            if let Some(ShapeKind::Resource {
                operations,
                resources,
            }) = self.get(id).map(|shape| &shape.kind)
            {
                self.collect_operations(operations, resources, into);
            }
        }
    }

    fn operation(&mut self, id: &str, service_errors: &[String]) -> Option<ir::Operation> {
        let shape = self.get(id)?;
        let ShapeKind::Operation {
            input,
            output,
            errors,
        } = &shape.kind
        else {
            return None;
        };
        let name = shape_name(id).to_owned();
        let marker = naming::type_name(&name);
        let module = naming::operation_module(&name);
        let input_id = input.as_deref();
        let input = self.io_shape(id, input.as_deref(), "input");
        let output = self.io_shape(id, output.as_deref(), "output");
        // Its own errors, then the service's, each once (botocore models list some twice).
        let mut declared: Vec<String> = Vec::new();
        for error in errors.iter().chain(service_errors) {
            if !declared.contains(error) {
                declared.push(error.clone());
            }
        }
        for error in &declared {
            self.reach(error);
        }
        let endpoint_context =
            crate::endpoint_rules::operation_context(&shape.traits, self.input_members(&input));
        // Names and pagination members are resolved once every name is final.
        let declared = declared
            .into_iter()
            .map(|shape| ir::ErrorCase {
                shape,
                variant: String::new(),
                is_method: String::new(),
            })
            .collect();
        Some(ir::Operation {
            id: id.to_owned(),
            error: format!("{marker}Error"),
            fluent_builder: naming::fluent_builder_name(&marker),
            marker,
            module,
            name,
            docs: shape.traits.documentation.clone(),
            input,
            output,
            errors: declared,
            pagination: None,
            waiters: shape
                .traits
                .waitable
                .iter()
                .map(|(name, waiter)| ir::Waiter {
                    name: name.clone(),
                    method: naming::waiter_method_name(name),
                    type_name: naming::waiter_type_name(name),
                    docs: waiter.documentation.clone(),
                    min_delay: waiter.min_delay,
                    max_delay: waiter.max_delay,
                    acceptors: waiter.acceptors.clone(),
                })
                .collect(),
            deprecated: shape.traits.deprecated.clone(),
            request_compression: shape.traits.request_compression.clone(),
            host_prefix: shape.traits.endpoint_host_prefix.clone().inspect(|prefix| {
                self.check_host_labels(id, prefix, input_id);
            }),
            endpoint_context,
        })
    }

    /// Each `{Label}` of a host prefix must name a `hostLabel` member of the input.
    fn check_host_labels(&mut self, operation: &str, prefix: &str, input: Option<&str>) {
        let members = input.map_or(&[][..], |input| self.input_members(input));
        let mut rest = prefix;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                self.errors.push(ModelError::new(
                    operation,
                    format!("host prefix `{prefix}` has an unclosed `{{`"),
                ));
                return;
            };
            let label = &rest[open + 1..open + close];
            if !members
                .iter()
                .any(|member| member.name == label && member.traits.host_label)
            {
                self.errors.push(ModelError::new(
                    operation,
                    format!("host prefix `{prefix}` names `{label}`, which is not a `hostLabel` member of the input"),
                ));
            }
            rest = &rest[open + close + 1..];
        }
    }

    /// The members of an operation's input structure (none for a synthesized empty input).
    fn input_members(&self, input: &str) -> &'a [ast::Member] {
        match self.model.shapes.get(input).map(|shape| &shape.kind) {
            Some(ShapeKind::Structure { members }) => members,
            _ => &[],
        }
    }

    /// The variants and `is_…` methods of an operation's error enum, from the final type names.
    fn name_error_cases(&mut self, operation: &mut ir::Operation) {
        for case in &mut operation.errors {
            if let Some(shape) = self.shapes.get(&case.shape) {
                case.variant = shape.name.clone();
                case.is_method = naming::is_method_name(&shape.name);
            }
        }
    }

    /// Points the operation's pagination at the IR members it names. A name that is not a
    /// member or a page size that is not an integer is a model error; items that are not a list
    /// give pages without an item stream.
    fn resolve_pagination(&mut self, operation: &mut ir::Operation) {
        let Some(paginated) = self
            .model
            .shapes
            .get(&operation.id)
            .and_then(|shape| shape.traits.paginated.as_ref())
        else {
            return;
        };
        let id = operation.id.clone();
        let mut problems = Vec::new();
        let mut find = |structure: &str, name: Option<&String>, trait_member: &str| {
            let name = name?;
            let found = match self.shapes.get(structure).map(|shape| &shape.kind) {
                Some(ir::ShapeKind::Structure(structure)) => {
                    structure.members.iter().find(|m| &m.name == name).cloned()
                }
                _ => None,
            };
            if found.is_none() {
                problems.push(format!("malformed trait `smithy.api#paginated`: `{trait_member}` names `{name}`, which is not a member the generated paginator can read"));
            }
            found
        };
        let input_token = find(
            &operation.input,
            paginated.input_token.as_ref(),
            "inputToken",
        );
        let output_token = find(
            &operation.output,
            paginated.output_token.as_ref(),
            "outputToken",
        );
        let items = find(&operation.output, paginated.items.as_ref(), "items");
        let page_size = find(&operation.input, paginated.page_size.as_ref(), "pageSize");
        // Items that are a map (Smithy allows it) or, in botocore, a structure (budgets,
        // devicefarm) have no item stream: that paginator yields pages only.
        let items =
            items.and_then(
                |member| match self.shapes.get(&member.target).map(|s| &s.kind) {
                    Some(ir::ShapeKind::List { member: item, .. }) => Some((member, item.clone())),
                    _ => None,
                },
            );
        if let Some(member) = &page_size {
            let integer = matches!(
                self.shapes.get(&member.target).map(|s| &s.kind),
                Some(ir::ShapeKind::Simple {
                    ty: ast::SimpleType::Integer
                        | ast::SimpleType::Long
                        | ast::SimpleType::Short
                        | ast::SimpleType::Byte,
                    ..
                })
            );
            if !integer {
                problems.push(format!("malformed trait `smithy.api#paginated`: `pageSize` names `{}`, which is not an integer", member.name));
            }
        }
        for problem in problems {
            self.errors.push(ModelError::new(id.clone(), problem));
        }
        let (Some(input_token), Some(output_token)) = (input_token, output_token) else {
            return;
        };
        operation.pagination = Some(ir::Pagination {
            paginator: naming::paginator_name(&operation.marker),
            items_paginator: naming::items_paginator_name(&operation.marker),
            input_token,
            output_token,
            items,
            page_size,
        });
    }

    /// The operation's input or output shape; `Unit` or nothing becomes an empty structure.
    fn io_shape(&mut self, operation: &str, target: Option<&str>, role: &str) -> String {
        match target {
            Some(target) if target != UNIT => {
                self.reach(target);
                target.to_owned()
            }
            _ => {
                let id = format!("{operation}${role}");
                let structure = ir::Structure {
                    members: Vec::new(),
                    error: None,
                    client_serde: ir::SerdeDirections::default(),
                };
                self.shapes.insert(
                    id.clone(),
                    ir::Shape {
                        id: id.clone(),
                        name: String::new(),
                        module: Module::Types,
                        docs: None,
                        sensitive: false,
                        deprecated: None,
                        kind: ir::ShapeKind::Structure(structure),
                    },
                );
                id
            }
        }
    }

    /// Inputs and outputs used by exactly one operation, and by no member, live in that
    /// operation's module as `<Operation>Input` / `<Operation>Output`, as in the AWS SDKs.
    fn place_operation_shapes(&mut self, operations: &[ir::Operation]) {
        let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
        for shape in self.shapes.values() {
            for target in targets(&shape.kind) {
                *uses.entry(target).or_default() += 1;
            }
        }
        let mut uses: BTreeMap<String, usize> =
            uses.into_iter().map(|(id, n)| (id.to_owned(), n)).collect();
        for operation in operations {
            *uses.entry(operation.input.clone()).or_default() += 1;
            *uses.entry(operation.output.clone()).or_default() += 1;
        }
        for operation in operations {
            for (id, suffix) in [(&operation.input, "Input"), (&operation.output, "Output")] {
                let Some(shape) = self.shapes.get_mut(id) else {
                    continue;
                };
                if uses.get(id) == Some(&1) {
                    shape.name = format!("{}{suffix}", operation.marker);
                    shape.module = Module::Operation(operation.module.clone());
                } else if shape.name.is_empty() {
                    shape.name = format!("{}{suffix}", operation.marker);
                }
            }
        }
    }

    /// Lowers `id` and everything it reaches, once.
    fn reach(&mut self, id: &str) {
        if self.shapes.contains_key(id) {
            return;
        }
        let Some(shape) = self.get(id) else { return };
        let kind = self.kind(shape);
        let module = if shape.traits.error.is_some() {
            Module::Errors
        } else {
            Module::Types
        };
        let lowered = ir::Shape {
            id: id.to_owned(),
            name: naming::type_name(shape_name(id)),
            module,
            docs: shape.traits.documentation.clone(),
            sensitive: shape.traits.sensitive,
            deprecated: shape.traits.deprecated.clone(),
            kind,
        };
        let reached: Vec<String> = targets(&lowered.kind).map(str::to_owned).collect();
        self.shapes.insert(id.to_owned(), lowered);
        for target in reached {
            self.reach(&target);
        }
    }

    fn kind(&mut self, shape: &'a ast::Shape) -> ir::ShapeKind {
        let traits = &shape.traits;
        match &shape.kind {
            ShapeKind::Simple(ty) => ir::ShapeKind::Simple {
                ty: *ty,
                constraints: constraints(traits),
                timestamp_format: traits
                    .timestamp_format
                    .unwrap_or(ast::TimestampFormat::EpochSeconds),
            },
            ShapeKind::List { member } => ir::ShapeKind::List {
                member: member.target.clone(),
                length: traits.length,
            },
            ShapeKind::Map { key, value } => ir::ShapeKind::Map {
                key: key.target.clone(),
                value: value.target.clone(),
                length: traits.length,
            },
            ShapeKind::Structure { members } => ir::ShapeKind::Structure(ir::Structure {
                members: members
                    .iter()
                    .map(|member| self.member(&shape.id, member))
                    .collect(),
                error: traits.error.map(|fault| ir::ErrorInfo {
                    fault,
                    http_status: traits.http_error.unwrap_or(match fault {
                        ast::Fault::Client => 400,
                        ast::Fault::Server => 500,
                    }),
                    retryable: traits.retryable.is_some(),
                    throttling: traits.retryable == Some(true),
                }),
                client_serde: ir::SerdeDirections::default(),
            }),
            ShapeKind::Union { members } => ir::ShapeKind::Union(
                members
                    .iter()
                    .map(|member| self.member(&shape.id, member))
                    .collect(),
            ),
            ShapeKind::Enum { values } => ir::ShapeKind::Enum(
                values
                    .iter()
                    .map(|value| ir::EnumVariant {
                        name: naming::variant_name(&value.value),
                        value: value.value.clone(),
                        docs: value.documentation.clone(),
                    })
                    .collect(),
            ),
            ShapeKind::IntEnum { values } => ir::ShapeKind::IntEnum(
                values
                    .iter()
                    .map(|value| ir::IntEnumVariant {
                        name: naming::variant_name(&value.name),
                        value: value.value,
                        docs: value.documentation.clone(),
                    })
                    .collect(),
            ),
            ShapeKind::Operation { .. }
            | ShapeKind::Service { .. }
            | ShapeKind::Resource { .. } => {
                self.errors.push(ModelError::new(
                    &shape.id,
                    "is used as data, but is an operation, service or resource",
                ));
                ir::ShapeKind::Structure(ir::Structure {
                    members: Vec::new(),
                    error: None,
                    client_serde: ir::SerdeDirections::default(),
                })
            }
        }
    }

    fn member(&mut self, container: &str, member: &ast::Member) -> ir::Member {
        let target = self.model.shapes.get(&member.target);
        let target_traits = target.map(|shape| &shape.traits);
        let boxed = reaches_by_value(self.model, &member.target, container, &mut BTreeSet::new());
        ir::Member {
            name: member.name.clone(),
            field: naming::member_name(&member.name),
            // Set from the final field by `name_accessors`.
            setter: String::new(),
            getter: String::new(),
            variant: naming::type_name(&member.name),
            target: member.target.clone(),
            required: member.traits.required,
            docs: member
                .traits
                .documentation
                .clone()
                .or_else(|| target_traits.and_then(|t| t.documentation.clone())),
            sensitive: member.traits.sensitive || target_traits.is_some_and(|t| t.sensitive),
            constraints: constraints(&member.traits),
            boxed,
            timestamp_format: timestamp_format(
                self.model,
                &member.target,
                member.traits.timestamp_format,
            )
            .filter(|format| *format != ast::TimestampFormat::EpochSeconds),
            holds_floats: holds_floats(self.model, &member.target),
            holds_unions: !boxed && holds_unions(self.model, &member.target),
            deprecated: member.traits.deprecated.clone(),
        }
    }
}

/// Operations whose markers or modules meet (names that differ only by case) are told apart
/// by [`naming::disambiguate`]; the error enum follows the marker.
fn disambiguate_operations(operations: &mut [ir::Operation]) {
    let markers = naming::disambiguate(
        &operations
            .iter()
            .map(|o| (o.name.as_str(), o.marker.as_str()))
            .collect::<Vec<_>>(),
        naming::Case::UpperCamel,
    );
    // Modules are ordered by the (now unique) markers, so `GetFoo2` gets `get_foo_2`.
    let modules = naming::disambiguate(
        &operations
            .iter()
            .zip(&markers)
            .map(|(o, marker)| (marker.as_str(), o.module.as_str()))
            .collect::<Vec<_>>(),
        naming::Case::Snake,
    );
    for ((operation, marker), module) in operations.iter_mut().zip(markers).zip(modules) {
        operation.error = format!("{marker}Error");
        operation.fluent_builder = naming::fluent_builder_name(&marker);
        operation.marker = marker;
        operation.module = module;
    }
}

/// The serde impls each structure derives without the `serde-all` feature: what a client
/// needs. It serializes what it sends (inputs, and what they hold) and deserializes what it
/// reads (outputs and errors, and what they hold); waiters also serialize the outputs their
/// acceptors match on. Errors and unions derive both, and so does what they hold; so does a
/// structure no operation reaches, which no client direction can be told for.
fn decide_client_serde(shapes: &mut BTreeMap<String, ir::Shape>, operations: &[ir::Operation]) {
    use ir::SerdeDirections as Directions;
    let mut pending: Vec<(String, Directions)> = Vec::new();
    for operation in operations {
        let output = if operation.waiters.is_empty() {
            Directions::DESERIALIZE
        } else {
            Directions::BOTH
        };
        pending.push((operation.input.clone(), Directions::SERIALIZE));
        pending.push((operation.output.clone(), output));
        for case in &operation.errors {
            pending.push((case.shape.clone(), Directions::BOTH));
        }
    }
    for (id, shape) in shapes.iter() {
        if matches!(&shape.kind, ir::ShapeKind::Union(_)) {
            pending.push((id.clone(), Directions::BOTH));
        }
    }
    let mut needed: BTreeMap<String, Directions> = BTreeMap::new();
    while let Some((id, directions)) = pending.pop() {
        let known = needed.entry(id.clone()).or_default();
        let widened = known.union(directions);
        if widened == *known {
            continue;
        }
        *known = widened;
        if let Some(shape) = shapes.get(&id) {
            pending.extend(targets(&shape.kind).map(|target| (target.to_owned(), widened)));
        }
    }
    for (id, shape) in shapes.iter_mut() {
        if let ir::ShapeKind::Structure(structure) = &mut shape.kind {
            structure.client_serde = needed.get(id).copied().unwrap_or(Directions::BOTH);
        }
    }
}

/// The setter and getter names of every member, from its final field name.
fn name_accessors(shapes: &mut BTreeMap<String, ir::Shape>) {
    for shape in shapes.values_mut() {
        let members = match &mut shape.kind {
            ir::ShapeKind::Structure(structure) => &mut structure.members,
            ir::ShapeKind::Union(members) => members,
            _ => continue,
        };
        for member in members {
            member.setter = naming::setter_name(&member.field);
            member.getter = naming::getter_name(&member.field);
        }
    }
}

/// Every Rust scope of the shapes made unique by [`naming::disambiguate`]: type names per
/// module, fields and variants per type.
fn disambiguate_shapes(shapes: &mut BTreeMap<String, ir::Shape>) {
    let mut by_module: BTreeMap<Module, Vec<String>> = BTreeMap::new();
    for shape in shapes.values() {
        if matches!(
            shape.kind,
            ir::ShapeKind::Structure(_)
                | ir::ShapeKind::Union(_)
                | ir::ShapeKind::Enum(_)
                | ir::ShapeKind::IntEnum(_)
        ) {
            by_module
                .entry(shape.module.clone())
                .or_default()
                .push(shape.id.clone());
        }
    }
    for ids in by_module.values() {
        let entries: Vec<(&str, &str)> = ids
            .iter()
            .map(|id| (shape_name(id), shapes[id].name.as_str()))
            .collect();
        let names = naming::disambiguate(&entries, naming::Case::UpperCamel);
        for (id, name) in ids.iter().zip(names) {
            if let Some(shape) = shapes.get_mut(id) {
                shape.name = name;
            }
        }
    }
    for shape in shapes.values_mut() {
        match &mut shape.kind {
            ir::ShapeKind::Structure(structure) => disambiguate_fields(&mut structure.members),
            ir::ShapeKind::Union(members) => {
                let names = naming::disambiguate(
                    &members
                        .iter()
                        .map(|m| (m.name.as_str(), m.variant.as_str()))
                        .collect::<Vec<_>>(),
                    naming::Case::UpperCamel,
                );
                for (member, name) in members.iter_mut().zip(names) {
                    member.variant = name;
                }
            }
            ir::ShapeKind::Enum(variants) => {
                let names = naming::disambiguate(
                    &variants
                        .iter()
                        .map(|v| (v.value.as_str(), v.name.as_str()))
                        .collect::<Vec<_>>(),
                    naming::Case::UpperCamel,
                );
                for (variant, name) in variants.iter_mut().zip(names) {
                    variant.name = name;
                }
            }
            ir::ShapeKind::IntEnum(variants) => {
                let values: Vec<String> = variants.iter().map(|v| v.value.to_string()).collect();
                let names = naming::disambiguate(
                    &variants
                        .iter()
                        .zip(&values)
                        .map(|(v, value)| (value.as_str(), v.name.as_str()))
                        .collect::<Vec<_>>(),
                    naming::Case::UpperCamel,
                );
                for (variant, name) in variants.iter_mut().zip(names) {
                    variant.name = name;
                }
            }
            _ => {}
        }
    }
}

/// Fields of one structure: twins after `snake_case` are disambiguated, and a field that is
/// another field's `set_…`/`get_…` accessor gets the suffix `_value`.
fn disambiguate_fields(members: &mut [ir::Member]) {
    let names = naming::disambiguate(
        &members
            .iter()
            .map(|m| (m.name.as_str(), m.field.as_str()))
            .collect::<Vec<_>>(),
        naming::Case::Snake,
    );
    let plain: Vec<String> = names
        .iter()
        .map(|name| name.trim_start_matches("r#").to_owned())
        .collect();
    for (index, (member, name)) in members.iter_mut().zip(names).enumerate() {
        let shadows_accessor = ["set_", "get_"].iter().any(|prefix| {
            name.strip_prefix(prefix).is_some_and(|rest| {
                plain
                    .iter()
                    .enumerate()
                    .any(|(other, field)| other != index && field == rest)
            })
        });
        member.field = if shadows_accessor {
            format!("{name}_value")
        } else {
            name
        };
    }
}

fn constraints(traits: &ast::Traits) -> ir::Constraints {
    ir::Constraints {
        length: traits.length,
        pattern: traits.pattern.clone(),
        range: traits.range,
    }
}

/// The format of the timestamps a value of `target` holds (through lists and maps): the
/// innermost `timestampFormat` on the way (a member's overrides its target's).
fn timestamp_format(
    model: &Model,
    target: &str,
    on_member: Option<ast::TimestampFormat>,
) -> Option<ast::TimestampFormat> {
    let shape = model.shapes.get(target)?;
    match &shape.kind {
        ShapeKind::Simple(ast::SimpleType::Timestamp) => {
            on_member.or(shape.traits.timestamp_format)
        }
        ShapeKind::List { member } => {
            timestamp_format(model, &member.target, member.traits.timestamp_format)
        }
        ShapeKind::Map { value, .. } => {
            timestamp_format(model, &value.target, value.traits.timestamp_format)
        }
        _ => None,
    }
}

/// Whether a value of `target` is a float or double, or a list or map of them.
fn holds_floats(model: &Model, target: &str) -> bool {
    match model.shapes.get(target).map(|shape| &shape.kind) {
        Some(ShapeKind::Simple(ast::SimpleType::Float | ast::SimpleType::Double)) => true,
        Some(ShapeKind::List { member }) => holds_floats(model, &member.target),
        Some(ShapeKind::Map { value, .. }) => holds_floats(model, &value.target),
        _ => false,
    }
}

/// Whether a value of `target` is a union, or a list or map of them.
fn holds_unions(model: &Model, target: &str) -> bool {
    match model.shapes.get(target).map(|shape| &shape.kind) {
        Some(ShapeKind::Union { .. }) => true,
        Some(ShapeKind::List { member }) => holds_unions(model, &member.target),
        Some(ShapeKind::Map { value, .. }) => holds_unions(model, &value.target),
        _ => false,
    }
}

/// The shapes a lowered shape refers to.
fn targets(kind: &ir::ShapeKind) -> Box<dyn Iterator<Item = &str> + '_> {
    match kind {
        ir::ShapeKind::Structure(structure) => {
            Box::new(structure.members.iter().map(|m| m.target.as_str()))
        }
        ir::ShapeKind::Union(members) => Box::new(members.iter().map(|m| m.target.as_str())),
        ir::ShapeKind::List { member, .. } => Box::new(std::iter::once(member.as_str())),
        ir::ShapeKind::Map { key, value, .. } => {
            Box::new([key.as_str(), value.as_str()].into_iter())
        }
        _ => Box::new(std::iter::empty()),
    }
}

/// Whether `from` contains `to` by value (through structure and union members, not through the
/// heap indirection of lists and maps): such a member must be boxed or the type is infinite.
fn reaches_by_value(model: &Model, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
    if from == to {
        return true;
    }
    if !seen.insert(from.to_owned()) {
        return false;
    }
    match model.shapes.get(from).map(|shape| &shape.kind) {
        Some(ShapeKind::Structure { members } | ShapeKind::Union { members }) => members
            .iter()
            .any(|member| reaches_by_value(model, &member.target, to, seen)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::ir;

    /// A Smithy service with `List`, paginated over `Items`, which targets `items`.
    fn smithy(items: Value, extra: (&str, Value)) -> String {
        json!({"smithy": "2.0", "shapes": {
            "com.example#Svc": {"type": "service", "version": "1",
                "operations": [{"target": "com.example#List"}],
                "traits": {"aws.protocols#awsJson1_1": {}}},
            "com.example#List": {"type": "operation",
                "input": {"target": "com.example#ListInput"},
                "output": {"target": "com.example#ListOutput"},
                "traits": {"smithy.api#paginated": {
                    "inputToken": "NextToken", "outputToken": "NextToken", "items": "Items"}}},
            "com.example#ListInput": {"type": "structure",
                "members": {"NextToken": {"target": "smithy.api#String"}}},
            "com.example#ListOutput": {"type": "structure", "members": {
                "NextToken": {"target": "smithy.api#String"},
                "Items": items}},
            "com.example#Strings": {"type": "list", "member": {"target": "smithy.api#String"}},
            (extra.0): extra.1,
        }})
        .to_string()
    }

    fn pagination(service: &ir::Service) -> &ir::Pagination {
        service.operations[0]
            .pagination
            .as_ref()
            .expect("the operation is paginated")
    }

    #[test]
    fn list_items_give_an_item_stream() {
        let source = smithy(
            json!({"target": "com.example#Strings"}),
            (
                "com.example#Unused",
                json!({"type": "structure", "members": {}}),
            ),
        );
        let service = crate::lower_model(&source).unwrap();
        let (member, item) = pagination(&service).items.clone().expect("items");
        assert_eq!(
            (member.name.as_str(), item.as_str()),
            ("Items", "smithy.api#String")
        );
    }

    #[test]
    fn map_items_give_pages_without_an_item_stream() {
        let source = smithy(
            json!({"target": "com.example#Counts"}),
            (
                "com.example#Counts",
                json!({"type": "map", "key": {"target": "smithy.api#String"},
                       "value": {"target": "smithy.api#Integer"}}),
            ),
        );
        let service = crate::lower_model(&source).unwrap_or_else(|e| panic!("lowers: {e}"));
        let pagination = pagination(&service);
        assert_eq!(pagination.input_token.name, "NextToken");
        assert!(pagination.items.is_none());
        // And the crate generates: a paginator of pages alone.
        let options = crate::EmitOptions {
            runtime_path: "../runtime".into(),
        };
        crate::generate(&source, &options).unwrap_or_else(|e| panic!("generates: {e}"));
    }

    #[test]
    fn botocore_structure_items_give_pages_without_an_item_stream() {
        // As budgets and devicefarm do: `result_key` names a structure.
        let service = json!({
            "version": "2.0",
            "metadata": {"apiVersion": "2024-01-01", "endpointPrefix": "svc",
                "jsonVersion": "1.1", "protocol": "json", "serviceId": "Svc",
                "signatureVersion": "v4", "targetPrefix": "Svc"},
            "operations": {"List": {"name": "List", "http": {"method": "POST", "requestUri": "/"},
                "input": {"shape": "ListRequest"}, "output": {"shape": "ListResponse"}}},
            "shapes": {
                "ListRequest": {"type": "structure", "members": {"NextToken": {"shape": "String"}}},
                "ListResponse": {"type": "structure", "members": {
                    "NextToken": {"shape": "String"}, "Result": {"shape": "Result"}}},
                "Result": {"type": "structure", "members": {"Count": {"shape": "Integer"}}},
                "String": {"type": "string"},
                "Integer": {"type": "integer"}
            }
        });
        let paginators = json!({"pagination": {"List": {
            "input_token": "NextToken", "output_token": "NextToken", "result_key": "Result"}}});
        let lowered = crate::lower_model_file(&service.to_string(), Some(&paginators.to_string()))
            .unwrap_or_else(|e| panic!("lowers: {e}"));
        let pagination = pagination(&lowered.value);
        assert_eq!(pagination.output_token.name, "NextToken");
        assert!(pagination.items.is_none());
    }
}
