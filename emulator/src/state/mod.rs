//! The emulated service's state and the semantics of every operation over it.
//!
//! Each operation is a method taking its generated input and returning its generated output or
//! its generated error enum; [`crate::Emulator`] runs it under one lock, so every operation is
//! atomic. What the operations share returns the one modeled error it can fail with, and `?`
//! converts it into the operation's enum: the compiler checks that the model declares it for the
//! operation (see [`crate::error`]).
//!
//! This module holds the records, the bounded request history and what every operation
//! shares; the operations are in one submodule per resource.

mod assignments;
mod permission_sets;
mod policies;
mod provisioning;
mod tags;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::ops::Bound;

use serde::{Deserialize, Serialize};

use aws_json_runtime::DateTime;
use sso_admin::operation::{
    attach_managed_policy_to_permission_set::*, create_account_assignment::*,
    create_permission_set::*, delete_account_assignment::*,
    delete_inline_policy_from_permission_set::*, delete_permission_set::*,
    describe_account_assignment_creation_status::*, describe_account_assignment_deletion_status::*,
    describe_permission_set::*, describe_permission_set_provisioning_status::*,
    detach_managed_policy_from_permission_set::*, get_inline_policy_for_permission_set::*,
    list_account_assignment_creation_status::*, list_account_assignment_deletion_status::*,
    list_account_assignments::*, list_accounts_for_provisioned_permission_set::*,
    list_instances::*, list_managed_policies_in_permission_set::*,
    list_permission_set_provisioning_status::*, list_permission_sets::*,
    list_permission_sets_provisioned_to_account::*, list_tags_for_resource::*,
    provision_permission_set::*, put_inline_policy_to_permission_set::*, tag_resource::*,
    untag_resource::*, update_permission_set::*,
};
use sso_admin::types::error::{ResourceNotFoundException, ValidationException};
use sso_admin::types::{
    AccountAssignment, AccountAssignmentOperationStatus, AccountAssignmentOperationStatusMetadata,
    AttachedManagedPolicy, InstanceMetadata, OperationStatusFilter, PermissionSet,
    PermissionSetProvisioningStatus, PermissionSetProvisioningStatusMetadata, PrincipalType,
    ProvisionTargetType, ProvisioningStatus, StatusValues, Tag, TargetType,
};

use crate::error::{conflict, not_found, quota, validation};
use crate::ids;
use crate::token::{Cursor, Pager, TokenCodec};

/// At most this many tags on one resource (`ServiceQuotaExceededException` beyond).
pub const MAX_TAGS_PER_RESOURCE: usize = 50;
/// At most this many managed policies attached to one permission set.
pub const MAX_MANAGED_POLICIES_PER_PERMISSION_SET: usize = 10;
/// At most this many permission sets in one instance (the service's default quota).
pub const MAX_PERMISSION_SETS_PER_INSTANCE: usize = 500;
/// The session duration of a permission set created without one.
pub const DEFAULT_SESSION_DURATION: &str = "PT1H";
/// The most account assignments an instance holds (`ServiceQuotaExceededException` beyond).
pub const MAX_ACCOUNT_ASSIGNMENTS_PER_INSTANCE: usize = 100_000;
/// The most (permission set, account) pairs `ProvisionPermissionSet` provisions in an instance
/// (a `ValidationException` beyond: the operation declares no quota error). The emulator knows
/// no organization, so without it any 12-digit account id would add a pair.
pub const MAX_PROVISIONED_PAIRS_PER_INSTANCE: usize = 100_000;
/// How many requests of each asynchronous kind (assignment creations, assignment deletions,
/// provisionings) the emulator remembers by default; the oldest are forgotten first (their
/// `Describe…Status` is then a `ResourceNotFoundException`). See
/// [`Emulator::with_request_history`](crate::Emulator::with_request_history).
pub const DEFAULT_REQUEST_HISTORY: usize = 10_000;
/// The shortest session duration the service accepts, in seconds (1 hour).
const MIN_SESSION_SECONDS: f64 = 3600.0;
/// The longest session duration the service accepts, in seconds (12 hours).
const MAX_SESSION_SECONDS: f64 = 43200.0;
/// Tag keys with this prefix are reserved for AWS.
const RESERVED_TAG_PREFIX: &str = "aws:";

/// A permission set and everything attached to it.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct PermissionSetRecord {
    /// Creation order, the order of `ListPermissionSets`.
    seq: u64,
    arn: String,
    name: String,
    description: Option<String>,
    #[serde(with = "crate::persist::millis")]
    created: DateTime,
    session_duration: String,
    relay_state: Option<String>,
    /// Tags by key (listed in key order).
    tags: BTreeMap<String, Option<String>>,
    /// Attached managed policy ARNs with their attachment order.
    managed_policies: Vec<(u64, String)>,
    inline_policy: Option<String>,
}

impl PermissionSetRecord {
    fn to_api(&self) -> PermissionSet {
        PermissionSet::builder()
            .name(self.name.clone())
            .permission_set_arn(self.arn.clone())
            .set_description(self.description.clone())
            .created_date(self.created)
            .session_duration(self.session_duration.clone())
            .set_relay_state(self.relay_state.clone())
            .build()
    }
}

/// One account assignment: who gets which permission set in which account.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct AssignmentKey {
    permission_set_arn: String,
    account_id: String,
    principal_type: PrincipalType,
    principal_id: String,
}

/// A CreateAccountAssignment or DeleteAccountAssignment request and its outcome.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct AssignmentRequest {
    request_id: String,
    status: StatusValues,
    failure_reason: Option<String>,
    key: AssignmentKey,
    #[serde(with = "crate::persist::millis")]
    created: DateTime,
}

impl AssignmentRequest {
    fn to_api(&self, status: StatusValues) -> AccountAssignmentOperationStatus {
        let failure_reason = match status {
            StatusValues::Failed => self.failure_reason.clone(),
            _ => None,
        };
        AccountAssignmentOperationStatus::builder()
            .status(status)
            .request_id(self.request_id.clone())
            .set_failure_reason(failure_reason)
            .target_id(self.key.account_id.clone())
            .target_type(TargetType::AwsAccount)
            .permission_set_arn(self.key.permission_set_arn.clone())
            .principal_type(self.key.principal_type.clone())
            .principal_id(self.key.principal_id.clone())
            .created_date(self.created)
            .build()
    }

    fn to_metadata(&self, status: StatusValues) -> AccountAssignmentOperationStatusMetadata {
        AccountAssignmentOperationStatusMetadata::builder()
            .status(status)
            .request_id(self.request_id.clone())
            .created_date(self.created)
            .build()
    }
}

/// A ProvisionPermissionSet request and its outcome.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct ProvisioningRequest {
    request_id: String,
    status: StatusValues,
    failure_reason: Option<String>,
    account_id: Option<String>,
    permission_set_arn: String,
    #[serde(with = "crate::persist::millis")]
    created: DateTime,
}

impl ProvisioningRequest {
    fn to_api(&self, status: StatusValues) -> PermissionSetProvisioningStatus {
        let failure_reason = match status {
            StatusValues::Failed => self.failure_reason.clone(),
            _ => None,
        };
        PermissionSetProvisioningStatus::builder()
            .status(status)
            .request_id(self.request_id.clone())
            .set_account_id(self.account_id.clone())
            .permission_set_arn(self.permission_set_arn.clone())
            .set_failure_reason(failure_reason)
            .created_date(self.created)
            .build()
    }

    fn to_metadata(&self, status: StatusValues) -> PermissionSetProvisioningStatusMetadata {
        PermissionSetProvisioningStatusMetadata::builder()
            .status(status)
            .request_id(self.request_id.clone())
            .created_date(self.created)
            .build()
    }
}

/// What a [`RequestLog`] needs to know of a request.
trait LoggedRequest {
    fn request_id(&self) -> &str;
    /// The final status.
    fn status(&self) -> &StatusValues;
    fn created(&self) -> DateTime;
}

impl LoggedRequest for AssignmentRequest {
    fn request_id(&self) -> &str {
        &self.request_id
    }
    fn status(&self) -> &StatusValues {
        &self.status
    }
    fn created(&self) -> DateTime {
        self.created
    }
}

impl LoggedRequest for ProvisioningRequest {
    fn request_id(&self) -> &str {
        &self.request_id
    }
    fn status(&self) -> &StatusValues {
        &self.status
    }
    fn created(&self) -> DateTime {
        self.created
    }
}

/// The most recent requests of one kind, at most `capacity` of them, in the order they were
/// made, findable by request id, and listable from any position (with or without a status
/// filter) in time proportional to the page, not to the history.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct RequestLog<T> {
    /// By sequence number, which only grows.
    records: BTreeMap<u64, T>,
    by_id: HashMap<String, u64>,
    by_status: BTreeSet<(StatusValues, u64)>,
    next_seq: u64,
    capacity: usize,
}

impl<T> Default for RequestLog<T> {
    fn default() -> Self {
        Self {
            records: BTreeMap::new(),
            by_id: HashMap::new(),
            by_status: BTreeSet::new(),
            next_seq: 0,
            capacity: DEFAULT_REQUEST_HISTORY,
        }
    }
}

impl<T: LoggedRequest> RequestLog<T> {
    fn push(&mut self, request_id: String, record: T) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.by_status.insert((record.status().clone(), seq));
        self.by_id.insert(request_id, seq);
        self.records.insert(seq, record);
        self.trim();
    }

    /// Forgets the oldest requests beyond the capacity.
    fn trim(&mut self) {
        while self.records.len() > self.capacity {
            let Some((seq, oldest)) = self.records.pop_first() else {
                break;
            };
            self.by_status.remove(&(oldest.status().clone(), seq));
            self.by_id.remove(oldest.request_id());
        }
    }

    fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        self.trim();
    }

    fn get(&self, request_id: &str) -> Option<&T> {
        self.by_id
            .get(request_id)
            .and_then(|seq| self.records.get(seq))
    }

    /// The request `request_id`, or the `ResourceNotFoundException` AWS answers for an unknown
    /// one (`kind` names the request type, e.g. `AccountAssignmentCreationRequest`).
    fn find(&self, request_id: &str, kind: &str) -> Result<&T, ResourceNotFoundException> {
        self.get(request_id)
            .ok_or_else(|| not_found(format!("Could not find {kind} with id {request_id}")))
    }

    /// `(sequence number, record, status shown)` after `after`, in request order, only those
    /// showing `status` if given. Requests made after `in_progress_since` (epoch ms, with
    /// `--async-delay`) show `IN_PROGRESS`. Lazy: a page reads only what it returns (and one
    /// more), plus the requests still in progress.
    fn entries_after<'a>(
        &'a self,
        after: Option<u64>,
        status: Option<&StatusValues>,
        in_progress_since: Option<i64>,
    ) -> Box<dyn Iterator<Item = (u64, &'a T, StatusValues)> + 'a> {
        let start = after.map_or(0, |seq| seq.saturating_add(1));
        let shown = move |record: &T| match in_progress_since {
            Some(since) if record.created().epoch_millis() > since => StatusValues::InProgress,
            _ => record.status().clone(),
        };
        match (status, in_progress_since) {
            (None, _) => Box::new(
                self.records
                    .range(start..)
                    .map(move |(seq, record)| (*seq, record, shown(record))),
            ),
            // The requests in progress are the newest: walk back from the end.
            (Some(StatusValues::InProgress), Some(since)) => {
                let mut newest: Vec<(u64, &T, StatusValues)> = self
                    .records
                    .range(start..)
                    .rev()
                    .take_while(|(_, record)| record.created().epoch_millis() > since)
                    .map(|(seq, record)| (*seq, record, StatusValues::InProgress))
                    .collect();
                newest.reverse();
                Box::new(newest.into_iter())
            }
            (Some(status), _) => {
                let status = status.clone();
                let wanted = status.clone();
                Box::new(
                    self.by_status
                        .range((status.clone(), start)..)
                        .take_while(move |(s, _)| *s == status)
                        .filter_map(|(_, seq)| self.records.get(seq).map(|r| (*seq, r)))
                        .map(move |(seq, record)| (seq, record, shown(record)))
                        .filter(move |(_, _, shown)| *shown == wanted),
                )
            }
        }
    }

    /// One more than the last sequence number ever given (the bound of genuine cursors).
    fn seq_bound(&self) -> u64 {
        self.next_seq
    }
}

/// The whole emulated service: one SSO instance and what it holds.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct State {
    instance_arn: String,
    /// `ssoins-…`, the last segment of the instance ARN, used in permission set ARNs.
    instance_id: String,
    identity_store_id: String,
    codec: TokenCodec,
    tags_page_size: usize,
    /// The next creation sequence number (shared by everything that is listed in creation order).
    next_seq: u64,
    permission_sets: permission_sets::PermissionSets,
    /// Every account assignment, with its creation sequence number.
    assignments: assignments::Assignments,
    /// Where each permission set is provisioned.
    provisioned: provisioning::Provisioned,
    creations: RequestLog<AssignmentRequest>,
    deletions: RequestLog<AssignmentRequest>,
    provisionings: RequestLog<ProvisioningRequest>,
    /// How long asynchronous requests show `IN_PROGRESS`, in milliseconds (a setting, not
    /// saved).
    #[serde(skip)]
    async_delay_ms: i64,
    /// The random ids and clock readings of the operation running (not saved).
    #[serde(skip)]
    draws: Draws,
}

/// A random id or a clock reading an operation used: recorded in the journal so that replaying
/// the operation after a restart rebuilds exactly the same state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Draw {
    /// A random id (hex digits or a UUID).
    Id(String),
    /// A clock reading, in epoch milliseconds.
    Time(i64),
}

/// The draws of the operation running: taken fresh and recorded, or replayed.
#[derive(Debug, Default)]
struct Draws {
    replay: VecDeque<Draw>,
    recorded: Vec<Draw>,
}

/// The `OperationStatusFilter`'s status, checked.
fn filter_status(
    filter: Option<&OperationStatusFilter>,
) -> Result<Option<StatusValues>, ValidationException> {
    match filter.and_then(|filter| filter.status.clone()) {
        Some(StatusValues::Unknown(value)) => Err(validation(format!(
            "Invalid status filter: {}",
            value.as_str()
        ))),
        other => Ok(other),
    }
}

/// The checked tags of a request, as `(key, value)` pairs in request order.
fn checked_tags(tags: &[Tag]) -> Result<Vec<(String, Option<String>)>, ValidationException> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(tags.len());
    for tag in tags {
        let Some(key) = tag.key.as_deref() else {
            return Err(validation("Tag keys must not be empty"));
        };
        check_tag_key(key)?;
        if !seen.insert(key) {
            return Err(validation(format!(
                "Duplicate tag key {key} in the request"
            )));
        }
        out.push((key.to_owned(), tag.value.clone()));
    }
    Ok(out)
}

fn check_tag_key(key: &str) -> Result<(), ValidationException> {
    if key.is_empty() {
        return Err(validation("Tag keys must not be empty"));
    }
    if key
        .get(..RESERVED_TAG_PREFIX.len())
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(RESERVED_TAG_PREFIX))
    {
        return Err(validation(format!(
            "Tag key {key} is invalid: keys starting with 'aws:' are reserved for AWS use"
        )));
    }
    Ok(())
}

fn check_session_duration(duration: &str) -> Result<(), ValidationException> {
    match ids::duration_seconds(duration) {
        Some(seconds) if (MIN_SESSION_SECONDS..=MAX_SESSION_SECONDS).contains(&seconds) => Ok(()),
        Some(_) => Err(validation(format!(
            "SessionDuration {duration} is invalid: it must be between 1 hour (PT1H) and 12 hours (PT12H)"
        ))),
        None => Err(validation(format!(
            "SessionDuration {duration} is not an ISO-8601 duration"
        ))),
    }
}

fn check_target_type(target_type: &TargetType) -> Result<(), ValidationException> {
    match target_type {
        TargetType::AwsAccount => Ok(()),
        other => Err(validation(format!(
            "TargetType {} is not supported; use AWS_ACCOUNT",
            other.as_str()
        ))),
    }
}

fn check_principal_type(principal_type: &PrincipalType) -> Result<(), ValidationException> {
    match principal_type {
        PrincipalType::User | PrincipalType::Group => Ok(()),
        other => Err(validation(format!(
            "PrincipalType {} is not supported; use USER or GROUP",
            other.as_str()
        ))),
    }
}

impl State {
    /// A state with one empty instance.
    pub(crate) fn new(instance_arn: String, identity_store_id: String) -> Self {
        let instance_id = instance_arn
            .rsplit('/')
            .next()
            .unwrap_or(instance_arn.as_str())
            .to_owned();
        Self {
            instance_arn,
            instance_id,
            identity_store_id,
            codec: TokenCodec::random(),
            tags_page_size: MAX_TAGS_PER_RESOURCE,
            next_seq: 0,
            permission_sets: permission_sets::PermissionSets::default(),
            assignments: assignments::Assignments::default(),
            provisioned: provisioning::Provisioned::default(),
            creations: RequestLog::default(),
            deletions: RequestLog::default(),
            provisionings: RequestLog::default(),
            draws: Draws::default(),
            async_delay_ms: 0,
        }
    }

    /// Keeps asynchronous requests `IN_PROGRESS` for `delay` after they are made.
    pub(crate) fn set_async_delay(&mut self, delay: std::time::Duration) {
        self.async_delay_ms = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
    }

    /// Requests made after this instant (epoch ms) still show `IN_PROGRESS`.
    fn in_progress_since(&self) -> Option<i64> {
        (self.async_delay_ms > 0).then(|| {
            DateTime::now()
                .epoch_millis()
                .saturating_sub(self.async_delay_ms)
        })
    }

    /// The status a request made at `created` with outcome `status` shows now.
    fn shown(&self, created: DateTime, status: &StatusValues) -> StatusValues {
        match self.in_progress_since() {
            Some(since) if created.epoch_millis() > since => StatusValues::InProgress,
            _ => status.clone(),
        }
    }

    pub(crate) fn instance_arn(&self) -> &str {
        &self.instance_arn
    }

    pub(crate) fn identity_store_id(&self) -> &str {
        &self.identity_store_id
    }

    /// Empties the instance, keeping its ids and the settings (a new token key: tokens issued
    /// before are refused).
    pub(crate) fn reset(&mut self) {
        let mut fresh = State::new(self.instance_arn.clone(), self.identity_store_id.clone());
        fresh.tags_page_size = self.tags_page_size;
        fresh.async_delay_ms = self.async_delay_ms;
        fresh.set_request_history(self.creations.capacity);
        *self = fresh;
    }

    /// The draws of the last operation, for the journal; clears them.
    pub(crate) fn take_draws(&mut self) -> Vec<Draw> {
        self.draws.replay.clear();
        std::mem::take(&mut self.draws.recorded)
    }

    /// Makes the next operation use these draws (from the journal) before fresh ones.
    pub(crate) fn replay_draws(&mut self, draws: Vec<Draw>) {
        self.draws.replay = draws.into();
        self.draws.recorded.clear();
    }

    /// A random id: replayed, or from `fresh`.
    fn draw_id(&mut self, fresh: impl FnOnce() -> String) -> String {
        let id = match self.draws.replay.pop_front() {
            Some(Draw::Id(id)) => id,
            _ => fresh(),
        };
        self.draws.recorded.push(Draw::Id(id.clone()));
        id
    }

    /// The time: replayed, or the clock's.
    fn now(&mut self) -> DateTime {
        let now = match self.draws.replay.pop_front() {
            Some(Draw::Time(millis)) => DateTime::from_millis(millis).unwrap_or_else(DateTime::now),
            _ => DateTime::now(),
        };
        self.draws.recorded.push(Draw::Time(now.epoch_millis()));
        now
    }

    /// Sets the page size of `ListTagsForResource`, which has no `MaxResults`.
    /// Keeps at most `capacity` requests of each asynchronous kind.
    pub(crate) fn set_request_history(&mut self, capacity: usize) {
        self.creations.set_capacity(capacity);
        self.deletions.set_capacity(capacity);
        self.provisionings.set_capacity(capacity);
    }

    pub(crate) fn set_tags_page_size(&mut self, size: usize) {
        self.tags_page_size = size.max(1);
    }

    fn seq(&mut self) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        seq
    }

    fn check_instance(&self, instance_arn: &str) -> Result<(), ResourceNotFoundException> {
        if instance_arn == self.instance_arn {
            Ok(())
        } else {
            Err(not_found(format!(
                "Could not find Instance with arn {instance_arn}"
            )))
        }
    }

    fn permission_set(&self, arn: &str) -> Result<&PermissionSetRecord, ResourceNotFoundException> {
        self.permission_sets
            .get(arn)
            .ok_or_else(|| not_found(format!("Could not find PermissionSet with arn {arn}")))
    }

    fn permission_set_mut(
        &mut self,
        arn: &str,
    ) -> Result<&mut PermissionSetRecord, ResourceNotFoundException> {
        self.permission_sets
            .get_mut(arn)
            .ok_or_else(|| not_found(format!("Could not find PermissionSet with arn {arn}")))
    }

    /// A taggable resource (a permission set) by ARN.
    fn resource(&self, arn: &str) -> Result<&PermissionSetRecord, ResourceNotFoundException> {
        self.permission_sets
            .get(arn)
            .ok_or_else(|| not_found(format!("Could not find resource with arn {arn}")))
    }

    /// A taggable resource (a permission set) by ARN, for changing.
    fn resource_mut(
        &mut self,
        arn: &str,
    ) -> Result<&mut PermissionSetRecord, ResourceNotFoundException> {
        self.permission_sets
            .get_mut(arn)
            .ok_or_else(|| not_found(format!("Could not find resource with arn {arn}")))
    }

    /// Marks every account the permission set is provisioned to as running an old version.
    fn mark_outdated(&mut self, permission_set_arn: &str) {
        for (_, latest) in self.provisioned.accounts_of_mut(permission_set_arn) {
            *latest = false;
        }
    }

    fn new_permission_set_arn(&mut self) -> String {
        loop {
            let hex = self.draw_id(|| ids::random_hex(16));
            let arn = format!("arn:aws:sso:::permissionSet/{}/ps-{hex}", self.instance_id);
            if !self.permission_sets.contains_key(&arn) {
                return arn;
            }
        }
    }

    fn new_request_id(&mut self) -> String {
        loop {
            let id = self.draw_id(ids::request_id);
            if self.creations.get(&id).is_none()
                && self.deletions.get(&id).is_none()
                && self.provisionings.get(&id).is_none()
            {
                return id;
            }
        }
    }
}
