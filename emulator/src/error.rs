//! The emulator's internal error: one of the modeled AWS errors with its message, converted into
//! each operation's error enum at the edge.

use sso_admin::operation::{
    attach_managed_policy_to_permission_set::AttachManagedPolicyToPermissionSetError,
    create_account_assignment::CreateAccountAssignmentError,
    create_permission_set::CreatePermissionSetError,
    delete_account_assignment::DeleteAccountAssignmentError,
    delete_inline_policy_from_permission_set::DeleteInlinePolicyFromPermissionSetError,
    delete_permission_set::DeletePermissionSetError,
    describe_account_assignment_creation_status::DescribeAccountAssignmentCreationStatusError,
    describe_account_assignment_deletion_status::DescribeAccountAssignmentDeletionStatusError,
    describe_permission_set::DescribePermissionSetError,
    describe_permission_set_provisioning_status::DescribePermissionSetProvisioningStatusError,
    detach_managed_policy_from_permission_set::DetachManagedPolicyFromPermissionSetError,
    get_inline_policy_for_permission_set::GetInlinePolicyForPermissionSetError,
    list_account_assignment_creation_status::ListAccountAssignmentCreationStatusError,
    list_account_assignment_deletion_status::ListAccountAssignmentDeletionStatusError,
    list_account_assignments::ListAccountAssignmentsError,
    list_accounts_for_provisioned_permission_set::ListAccountsForProvisionedPermissionSetError,
    list_instances::ListInstancesError,
    list_managed_policies_in_permission_set::ListManagedPoliciesInPermissionSetError,
    list_permission_set_provisioning_status::ListPermissionSetProvisioningStatusError,
    list_permission_sets::ListPermissionSetsError,
    list_permission_sets_provisioned_to_account::ListPermissionSetsProvisionedToAccountError,
    list_tags_for_resource::ListTagsForResourceError,
    provision_permission_set::ProvisionPermissionSetError,
    put_inline_policy_to_permission_set::PutInlinePolicyToPermissionSetError,
    tag_resource::TagResourceError, untag_resource::UntagResourceError,
    update_permission_set::UpdatePermissionSetError,
};
use sso_admin::types::error::{
    ConflictException, InternalServerException, ResourceNotFoundException,
    ServiceQuotaExceededException, ValidationException,
};

/// A failed operation: which modeled error it is, and the message AWS would send with it.
///
/// Variants are named after the modeled error types so that the conversions below can name both
/// with one identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)] // named after the modeled error types on purpose
pub(crate) enum ApiError {
    /// HTTP 404: an instance, permission set, request or resource that does not exist.
    ResourceNotFoundException(String),
    /// HTTP 409: the request conflicts with the current state (duplicate name, still in use, ...).
    ConflictException(String),
    /// HTTP 400: the request is well-formed for the model but semantically invalid.
    ValidationException(String),
    /// HTTP 402: a per-resource or per-instance limit would be exceeded.
    ServiceQuotaExceededException(String),
    /// HTTP 500: the emulator failed (its state could not be saved).
    InternalServerException(String),
}

impl ApiError {
    /// Shorthand for [`ApiError::ResourceNotFoundException`].
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::ResourceNotFoundException(message.into())
    }

    /// Shorthand for [`ApiError::ConflictException`].
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::ConflictException(message.into())
    }

    /// Shorthand for [`ApiError::ValidationException`].
    pub(crate) fn validation(message: impl Into<String>) -> Self {
        Self::ValidationException(message.into())
    }

    /// Shorthand for [`ApiError::InternalServerException`].
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::InternalServerException(message.into())
    }

    /// Shorthand for [`ApiError::ServiceQuotaExceededException`].
    pub(crate) fn quota(message: impl Into<String>) -> Self {
        Self::ServiceQuotaExceededException(message.into())
    }

    /// The message, whatever the kind.
    fn into_message(self) -> String {
        match self {
            Self::ResourceNotFoundException(message)
            | Self::ConflictException(message)
            | Self::ValidationException(message)
            | Self::ServiceQuotaExceededException(message)
            | Self::InternalServerException(message) => message,
        }
    }
}

/// `impl From<ApiError> for $error`, mapping each listed kind to the operation's variant of the
/// same name. A kind the operation does not declare becomes an `InternalServerException` (every
/// operation declares that one); the emulator is written so that this does not happen.
macro_rules! convert {
    ($($(#[$doc:meta])* $lock:ident $name:ident($input:ident) -> $output:ident, $error:ident
        [$($kind:ident),*];)*) => {$(
        impl From<ApiError> for $error {
            fn from(error: ApiError) -> Self {
                #[allow(unreachable_patterns)]
                match error {
                    $(ApiError::$kind(message) => {
                        Self::$kind($kind::builder().message(message).build())
                    })*
                    other => Self::InternalServerException(
                        InternalServerException::builder()
                            .message(other.into_message())
                            .build(),
                    ),
                }
            }
        }
    )*};
}

with_operations!(convert);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undeclared_kinds_become_internal_server_errors() {
        let error: ListInstancesError = ApiError::not_found("gone").into();
        match error {
            ListInstancesError::InternalServerException(error) => {
                assert_eq!(error.message.as_deref(), Some("gone"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let error: TagResourceError = ApiError::quota("too many").into();
        assert!(matches!(
            error,
            TagResourceError::ServiceQuotaExceededException(_)
        ));
    }
}
