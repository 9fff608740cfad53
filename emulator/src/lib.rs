//! An in-memory emulator of the AWS SSO Admin API (2020-07-20): the business logic behind its 27
//! operations, over the generated types of the `sso-admin` crate.
//!
//! [`Emulator`] holds one SSO instance and everything created in it. Each operation is a method
//! taking the generated `…Input` and returning the generated `…Output` or the operation's error
//! enum, with the semantics of the real service. Input syntax (patterns, lengths, ranges, enum
//! values) is expected to have been checked by the server layer already; the emulator checks
//! meaning: that resources exist, names are unique, quotas hold, tokens are genuine.
//!
//! ```
//! use sso_admin::operation::create_permission_set::CreatePermissionSetInput;
//! use sso_admin_emulator::Emulator;
//!
//! let emulator = Emulator::new();
//! let input = CreatePermissionSetInput::builder()
//!     .instance_arn(emulator.instance_arn())
//!     .name("ReadOnly")
//!     .build()
//!     .unwrap();
//! let output = emulator.create_permission_set(input).unwrap();
//! let permission_set = output.permission_set.unwrap();
//! assert_eq!(permission_set.session_duration.as_deref(), Some("PT1H"));
//! ```
//!
//! # Semantics
//!
//! - **Instance**: exactly one, `arn:aws:sso:::instance/ssoins-<16 hex>` with identity store
//!   `d-<10 hex>`; any other `InstanceArn` is a `ResourceNotFoundException`.
//! - **Permission sets**: ARN `arn:aws:sso:::permissionSet/<ssoins-…>/ps-<16 hex>`; names are unique
//!   in the instance (`ConflictException` "PermissionSet with name X already exists."); at most
//!   [`MAX_PERMISSION_SETS_PER_INSTANCE`]; `SessionDuration` defaults to `PT1H` and must lie
//!   between `PT1H` and `PT12H`; listed in creation order. Deleting one that has account
//!   assignments or is provisioned to an account is a `ConflictException`.
//! - **Tags** (permission sets only): at most [`MAX_TAGS_PER_RESOURCE`] per resource
//!   (`ServiceQuotaExceededException`), keys starting with `aws:` are a `ValidationException`,
//!   tagging an existing key replaces its value, untagging an absent key is not an error; listed
//!   in key order.
//! - **Managed policies**: `arn:<partition>:iam::aws:policy/…` or
//!   `arn:<partition>:iam::<12 digits>:policy/…` (else `ValidationException`); attaching one twice
//!   is a `ConflictException`, more than [`MAX_MANAGED_POLICIES_PER_PERMISSION_SET`] a
//!   `ServiceQuotaExceededException`; detaching one not attached is a
//!   `ResourceNotFoundException`; listed in attachment order with `Name` = the ARN's last path
//!   segment.
//! - **Inline policy**: must be a JSON object (`ValidationException` otherwise); putting replaces,
//!   getting an absent one returns no `InlinePolicy`, deleting an absent one succeeds.
//! - **Asynchronous operations**: `CreateAccountAssignment`, `DeleteAccountAssignment` and
//!   `ProvisionPermissionSet` answer `IN_PROGRESS` with a fresh request id (a lower-case UUID v4)
//!   and do their work at once, so the `Describe…Status` and `List…Status` operations report the
//!   final `SUCCEEDED` or `FAILED` (with a `FailureReason`) from then on. An unknown instance or
//!   permission set is a synchronous `ResourceNotFoundException`. Creating an assignment that
//!   already exists succeeds without duplicating it (as AWS does); deleting one that does not
//!   exist is accepted and then `FAILED`.
//! - **Provisioning**: creating an assignment provisions the current version of the permission
//!   set to the account; changing the set (update, managed or inline policies) marks every
//!   account it is provisioned to `LATEST_PERMISSION_SET_NOT_PROVISIONED` until
//!   `ProvisionPermissionSet` runs for that account (`AWS_ACCOUNT`, which needs `TargetId`) or for
//!   all of them (`ALL_PROVISIONED_ACCOUNTS`). Deleting the last assignment of a set in an
//!   account removes the set from that account.
//! - **Pagination**: every list operation pages (`MaxResults` 1 to 100, default 100;
//!   `ListTagsForResource`, which has no `MaxResults`, pages by
//!   [`Emulator::with_list_tags_page_size`], default 50). `NextToken`s are opaque base64, signed
//!   with a key private to the emulator and bound to the operation and its parameters: a forged,
//!   altered or foreign token is a `ValidationException`. Pages resume after the last item
//!   returned, so an item present throughout a listing is returned exactly once.
//! - **Memory**: every kind of state is bounded. Permission sets by
//!   [`MAX_PERMISSION_SETS_PER_INSTANCE`], their tags by [`MAX_TAGS_PER_RESOURCE`] and managed
//!   policies by [`MAX_MANAGED_POLICIES_PER_PERMISSION_SET`], inline policies by the model's
//!   32,768 characters, account assignments by [`MAX_ACCOUNT_ASSIGNMENTS_PER_INSTANCE`], the (set,
//!   account) pairs that `ProvisionPermissionSet` provisions by
//!   [`MAX_PROVISIONED_PAIRS_PER_INSTANCE`]. The history of
//!   asynchronous requests is bounded by count: the last [`DEFAULT_REQUEST_HISTORY`] requests of
//!   each kind ([`Emulator::with_request_history`]); older ones are forgotten, oldest first, and
//!   their `Describe…Status` is a `ResourceNotFoundException` from then on. Status listings
//!   resume from their token through an ordered index, so a page costs O(page), not O(history);
//!   so do `ListPermissionSets` (an index by creation order), `ListAccountAssignments` (an
//!   index by permission set and account) and `ListAccountsForProvisionedPermissionSet` (by
//!   permission set, then account); `ListPermissionSetsProvisionedToAccount` reads only the
//!   account's own pairs (an index by account).
//! - **Errors**: each operation answers only with errors its model declares, which the
//!   compiler checks (see [`error`]).
//! - **Concurrency**: the state sits behind one lock taken for the whole of each operation, so
//!   operations are atomic and linearizable.
//!
//! # Serving it
//!
//! `Emulator` implements the generated server trait
//! [`SsoAdminService`](sso_admin::server::SsoAdminService), so
//! `sso_admin::server::service_builder(Arc::new(emulator))` turns it into an HTTP service that
//! speaks the AWS JSON 1.1 protocol (routing, validation, errors, optional SigV4). The
//! `sso-admin-emulator` binary serves it on loopback:
//!
//! ```text
//! sso-admin-emulator --port 4566 [--credentials ACCESS_KEY:SECRET]... [--region REGION]...
//!                    [--state-dir DIR] [--async-delay 2s]
//! ```
//!
//! # Keeping the state: `--state-dir` ([`Emulator::open`])
//!
//! The directory holds `state.json`, a snapshot (`{"format": "sso-admin-emulator-state",
//! "version": 1, "generation": G, "state": …}`), and `journal-G.jsonl`, one line per write
//! operation since that snapshot: its name, its input, and the random ids and clock readings it
//! used, so that replaying it rebuilds exactly the same state. Each line is flushed to disk
//! (`fdatasync`) before the operation is answered, so an acknowledged write survives
//! `kill -9` and power loss. Snapshots are written to a temporary file, flushed, and renamed
//! over the old one (then the directory is flushed): a crash leaves the old snapshot or the
//! new one, never a mix. On start, a last journal line cut short by a crash (never
//! acknowledged) is dropped; any other damage, or a snapshot of another format version, stops
//! the emulator with an error instead of losing data silently. Every 1,000 journal entries
//! the state is snapshotted and the journal starts again. Settings (page sizes, history size,
//! `--async-delay`) are not saved: they come from the command line of each run.
//!
//! # Resetting while running
//!
//! [`Emulator::reset`] forgets everything created in the instance (the instance and its ids
//! stay; page tokens issued before are refused), on disk too. The binary resets on SIGHUP:
//! `kill -HUP $(pidof sso-admin-emulator)`.
//!
//! # Asynchronous requests that take time: `--async-delay` ([`Emulator::with_async_delay`])
//!
//! With a delay, `CreateAccountAssignment`, `DeleteAccountAssignment` and
//! `ProvisionPermissionSet` requests show `IN_PROGRESS` (in `Describe…Status`, and in
//! `List…Status`, filters included) until the delay has passed since they were made; their
//! effect on the state is immediate.

#![warn(missing_docs)]

pub mod allocator;
pub mod error;
mod ids;
#[macro_use]
mod operations;
mod persist;
mod service;
mod state;
mod token;

use std::path::Path;
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use persist::Store;

use sso_admin::types::error::InternalServerException;

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

pub use state::{
    DEFAULT_REQUEST_HISTORY, DEFAULT_SESSION_DURATION, MAX_ACCOUNT_ASSIGNMENTS_PER_INSTANCE,
    MAX_MANAGED_POLICIES_PER_PERMISSION_SET, MAX_PERMISSION_SETS_PER_INSTANCE,
    MAX_PROVISIONED_PAIRS_PER_INSTANCE, MAX_TAGS_PER_RESOURCE,
};
pub use token::DEFAULT_MAX_RESULTS;

use state::State;

/// An in-memory SSO Admin service with one SSO instance.
///
/// `Send + Sync`: share it as `Arc<Emulator>` between request handlers. Every operation takes
/// one internal lock for its whole duration (a read lock for operations that only look), never
/// across an `await` since nothing here is async.
#[derive(Debug)]
pub struct Emulator {
    instance_arn: String,
    identity_store_id: String,
    state: RwLock<State>,
    /// The state directory, when the state is kept on disk.
    store: Option<Mutex<Store>>,
}

impl Default for Emulator {
    fn default() -> Self {
        Self::new()
    }
}

/// One method per operation, forwarding to [`State`] under the read lock, or under the write
/// lock and through the journal; and the replay of journaled write operations.
macro_rules! operations {
    ($($(#[$doc:meta])* $lock:ident $name:ident($input:ident) -> $output:ident, $error:ident;)*) => {
        impl Emulator {
            $(
                $(#[$doc])*
                pub fn $name(&self, input: $input) -> Result<$output, $error> {
                    operations!(@call $lock self $name input)
                }
            )*
        }

        /// Replays one journaled write operation (by its method name) on `state`.
        fn replay(state: &mut State, op: &str, input: serde_json::Value) -> Result<(), String> {
            $(operations!(@replay $lock state op input $name $input);)*
            Err(format!("unknown operation {op}"))
        }
    };
    (@call read $self:ident $name:ident $input:ident) => {
        $self.read().$name($input)
    };
    (@call write $self:ident $name:ident $input:ident) => {
        $self.write_op(stringify!($name), $input, State::$name)
    };
    (@replay read $state:ident $op:ident $value:ident $name:ident $input:ident) => {};
    (@replay write $state:ident $op:ident $value:ident $name:ident $input:ident) => {
        if $op == stringify!($name) {
            let input: $input = serde_json::from_value($value).map_err(|error| error.to_string())?;
            return $state.$name(input).map(drop).map_err(|error| format!("{error:?}"));
        }
    };
}

impl Emulator {
    /// An emulator with a fresh instance: a random `ssoins-…` ARN and `d-…` identity store id.
    pub fn new() -> Self {
        Self::with_instance(
            format!("arn:aws:sso:::instance/ssoins-{}", ids::random_hex(16)),
            format!("d-{}", ids::random_hex(10)),
        )
    }

    /// An emulator whose instance has the given ARN (`arn:aws:sso:::instance/ssoins-…`, whose
    /// last segment is used in permission set ARNs) and identity store id (`d-…`).
    pub fn with_instance(
        instance_arn: impl Into<String>,
        identity_store_id: impl Into<String>,
    ) -> Self {
        let instance_arn = instance_arn.into();
        let identity_store_id = identity_store_id.into();
        Self {
            state: RwLock::new(State::new(instance_arn.clone(), identity_store_id.clone())),
            instance_arn,
            identity_store_id,
            store: None,
        }
    }

    /// An emulator whose state is kept in directory `dir` (created if needed) and survives
    /// restarts, `kill -9` included: the state saved there, or a fresh instance with the given
    /// ARN and identity store id if the directory holds none (a saved instance keeps its own).
    /// Every write operation is flushed to disk before it is answered; see the crate's
    /// documentation for the format.
    pub fn open(
        dir: impl AsRef<Path>,
        instance_arn: impl Into<String>,
        identity_store_id: impl Into<String>,
    ) -> std::io::Result<Self> {
        let (instance_arn, identity_store_id) = (instance_arn.into(), identity_store_id.into());
        let (store, state) = Store::open(
            dir.as_ref(),
            || State::new(instance_arn, identity_store_id),
            replay,
        )?;
        Ok(Self {
            instance_arn: state.instance_arn().to_owned(),
            identity_store_id: state.identity_store_id().to_owned(),
            state: RwLock::new(state),
            store: Some(Mutex::new(store)),
        })
    }

    /// Forgets everything created in the instance (permission sets, assignments, request
    /// history); the instance, its ids and the settings stay. With a state directory, the empty
    /// state is saved at once.
    pub fn reset(&self) -> std::io::Result<()> {
        let mut state = self.write();
        state.reset();
        match &self.store {
            Some(store) => store
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .snapshot(&state),
            None => Ok(()),
        }
    }

    /// Runs a write operation under the write lock and, with a state directory, journals it
    /// before answering. A journal that cannot be written fails the operation.
    fn write_op<I, O, E>(
        &self,
        name: &'static str,
        input: I,
        op: fn(&mut State, I) -> Result<O, E>,
    ) -> Result<O, E>
    where
        I: serde::Serialize,
        E: From<InternalServerException>,
    {
        let mut state = self.write();
        let Some(store) = &self.store else {
            let result = op(&mut state, input);
            state.take_draws();
            return result;
        };
        let journaled = serde_json::to_value(&input);
        let result = op(&mut state, input);
        let draws = state.take_draws();
        if result.is_ok() {
            let saved = journaled.map_err(std::io::Error::other).and_then(|input| {
                store
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .record(&state, name, input, draws)
            });
            if let Err(error) = saved {
                tracing::error!(%error, operation = name, "could not save the state");
                return Err(error::internal(format!(
                    "The change could not be saved: {error}"
                )));
            }
        }
        result
    }

    /// Sets how many requests of each asynchronous kind (assignment creations, assignment
    /// deletions, provisionings) are remembered, at least 1 (default
    /// [`DEFAULT_REQUEST_HISTORY`]); beyond it the oldest are forgotten first.
    pub fn with_request_history(self, capacity: usize) -> Self {
        self.write().set_request_history(capacity.max(1));
        self
    }

    /// Keeps asynchronous requests (`CreateAccountAssignment`, `DeleteAccountAssignment`,
    /// `ProvisionPermissionSet`) showing `IN_PROGRESS` in `Describe…Status` and `List…Status`
    /// for `delay` after they were made, so that waiters and polling loops really wait. Their
    /// effect on the state is immediate. Default: no delay.
    pub fn with_async_delay(self, delay: std::time::Duration) -> Self {
        self.write().set_async_delay(delay);
        self
    }

    /// Sets how many tags a `ListTagsForResource` page holds (the operation has no
    /// `MaxResults`); the default, 50, returns every tag of a resource in one page.
    pub fn with_list_tags_page_size(self, size: usize) -> Self {
        self.write().set_tags_page_size(size);
        self
    }

    /// The ARN of the emulated SSO instance.
    pub fn instance_arn(&self) -> &str {
        &self.instance_arn
    }

    /// The identity store id of the emulated SSO instance.
    pub fn identity_store_id(&self) -> &str {
        &self.identity_store_id
    }

    /// The state for reading. A panic while the lock was held cannot leave it half-changed
    /// (operations check before they change), so a poisoned lock is used as it is.
    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The state for changing; see [`read`](Self::read) about poisoning.
    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(PoisonError::into_inner)
    }
}

with_operations!(operations);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emulator_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Emulator>();
    }

    #[test]
    fn new_instances_have_aws_shaped_ids() {
        let emulator = Emulator::new();
        let id = emulator
            .instance_arn()
            .strip_prefix("arn:aws:sso:::instance/ssoins-")
            .unwrap();
        assert_eq!(id.len(), 16);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        let store = emulator.identity_store_id().strip_prefix("d-").unwrap();
        assert_eq!(store.len(), 10);
    }
}
