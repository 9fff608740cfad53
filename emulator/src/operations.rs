//! The one list of the 27 operations of SSO Admin, from which the emulator's methods, the
//! replay of its journal and the server trait's implementation are made: each consumer is a
//! macro that takes the list.
//!
//! Each entry: the documentation, `read` or `write` (the lock it takes; writes are
//! journaled), the method, its input, output and error types. Which errors an operation can
//! answer with is not listed: the compiler derives it from the operation's code and checks it
//! against the model (see [`crate::error`]).

/// Calls macro `$consumer!` with the list of operations.
macro_rules! with_operations {
    ($consumer:ident) => {
        $consumer! {
            /// `AttachManagedPolicyToPermissionSet`: attaches an IAM managed policy to a permission set
            /// and marks its accounts as not running the latest version.
            write attach_managed_policy_to_permission_set(AttachManagedPolicyToPermissionSetInput)
                -> AttachManagedPolicyToPermissionSetOutput, AttachManagedPolicyToPermissionSetError;
            /// `CreateAccountAssignment`: assigns a principal a permission set in an account, which
            /// provisions the set there. Answers `IN_PROGRESS`; the request is then `SUCCEEDED`.
            write create_account_assignment(CreateAccountAssignmentInput)
                -> CreateAccountAssignmentOutput, CreateAccountAssignmentError;
            /// `CreatePermissionSet`: creates a permission set (unique name, default session `PT1H`).
            write create_permission_set(CreatePermissionSetInput)
                -> CreatePermissionSetOutput, CreatePermissionSetError;
            /// `DeleteAccountAssignment`: removes an assignment. Answers `IN_PROGRESS`; the request is
            /// then `SUCCEEDED`, or `FAILED` if there was no such assignment.
            write delete_account_assignment(DeleteAccountAssignmentInput)
                -> DeleteAccountAssignmentOutput, DeleteAccountAssignmentError;
            /// `DeleteInlinePolicyFromPermissionSet`: removes the inline policy, if any.
            write delete_inline_policy_from_permission_set(DeleteInlinePolicyFromPermissionSetInput)
                -> DeleteInlinePolicyFromPermissionSetOutput, DeleteInlinePolicyFromPermissionSetError;
            /// `DeletePermissionSet`: deletes a permission set that is neither assigned nor provisioned.
            write delete_permission_set(DeletePermissionSetInput)
                -> DeletePermissionSetOutput, DeletePermissionSetError;
            /// `DescribeAccountAssignmentCreationStatus`: the outcome of a `CreateAccountAssignment`.
            read describe_account_assignment_creation_status(DescribeAccountAssignmentCreationStatusInput)
                -> DescribeAccountAssignmentCreationStatusOutput, DescribeAccountAssignmentCreationStatusError;
            /// `DescribeAccountAssignmentDeletionStatus`: the outcome of a `DeleteAccountAssignment`.
            read describe_account_assignment_deletion_status(DescribeAccountAssignmentDeletionStatusInput)
                -> DescribeAccountAssignmentDeletionStatusOutput, DescribeAccountAssignmentDeletionStatusError;
            /// `DescribePermissionSet`: a permission set's details.
            read describe_permission_set(DescribePermissionSetInput)
                -> DescribePermissionSetOutput, DescribePermissionSetError;
            /// `DescribePermissionSetProvisioningStatus`: the outcome of a `ProvisionPermissionSet`.
            read describe_permission_set_provisioning_status(DescribePermissionSetProvisioningStatusInput)
                -> DescribePermissionSetProvisioningStatusOutput, DescribePermissionSetProvisioningStatusError;
            /// `DetachManagedPolicyFromPermissionSet`: detaches an attached managed policy.
            write detach_managed_policy_from_permission_set(DetachManagedPolicyFromPermissionSetInput)
                -> DetachManagedPolicyFromPermissionSetOutput, DetachManagedPolicyFromPermissionSetError;
            /// `GetInlinePolicyForPermissionSet`: the inline policy, if any.
            read get_inline_policy_for_permission_set(GetInlinePolicyForPermissionSetInput)
                -> GetInlinePolicyForPermissionSetOutput, GetInlinePolicyForPermissionSetError;
            /// `ListAccountAssignmentCreationStatus`: creation requests, oldest first, optionally by status.
            read list_account_assignment_creation_status(ListAccountAssignmentCreationStatusInput)
                -> ListAccountAssignmentCreationStatusOutput, ListAccountAssignmentCreationStatusError;
            /// `ListAccountAssignmentDeletionStatus`: deletion requests, oldest first, optionally by status.
            read list_account_assignment_deletion_status(ListAccountAssignmentDeletionStatusInput)
                -> ListAccountAssignmentDeletionStatusOutput, ListAccountAssignmentDeletionStatusError;
            /// `ListAccountAssignments`: who has a permission set in an account, oldest first.
            read list_account_assignments(ListAccountAssignmentsInput)
                -> ListAccountAssignmentsOutput, ListAccountAssignmentsError;
            /// `ListAccountsForProvisionedPermissionSet`: accounts a permission set is provisioned to,
            /// by account id, optionally only those with (or without) its latest version.
            read list_accounts_for_provisioned_permission_set(ListAccountsForProvisionedPermissionSetInput)
                -> ListAccountsForProvisionedPermissionSetOutput, ListAccountsForProvisionedPermissionSetError;
            /// `ListInstances`: the one instance.
            read list_instances(ListInstancesInput) -> ListInstancesOutput, ListInstancesError;
            /// `ListManagedPoliciesInPermissionSet`: attached managed policies, in attachment order.
            read list_managed_policies_in_permission_set(ListManagedPoliciesInPermissionSetInput)
                -> ListManagedPoliciesInPermissionSetOutput, ListManagedPoliciesInPermissionSetError;
            /// `ListPermissionSetProvisioningStatus`: provisioning requests, oldest first, optionally by
            /// status.
            read list_permission_set_provisioning_status(ListPermissionSetProvisioningStatusInput)
                -> ListPermissionSetProvisioningStatusOutput, ListPermissionSetProvisioningStatusError;
            /// `ListPermissionSets`: the instance's permission sets, in creation order.
            read list_permission_sets(ListPermissionSetsInput)
                -> ListPermissionSetsOutput, ListPermissionSetsError;
            /// `ListPermissionSetsProvisionedToAccount`: permission sets provisioned to an account, in
            /// creation order, optionally only those with (or without) their latest version.
            read list_permission_sets_provisioned_to_account(ListPermissionSetsProvisionedToAccountInput)
                -> ListPermissionSetsProvisionedToAccountOutput, ListPermissionSetsProvisionedToAccountError;
            /// `ListTagsForResource`: a permission set's tags, by key.
            read list_tags_for_resource(ListTagsForResourceInput)
                -> ListTagsForResourceOutput, ListTagsForResourceError;
            /// `ProvisionPermissionSet`: provisions the latest version of a permission set to one
            /// account or to every account it is on. Answers `IN_PROGRESS`; the request is then
            /// `SUCCEEDED`.
            write provision_permission_set(ProvisionPermissionSetInput)
                -> ProvisionPermissionSetOutput, ProvisionPermissionSetError;
            /// `PutInlinePolicyToPermissionSet`: sets (replaces) the inline policy, a JSON object.
            write put_inline_policy_to_permission_set(PutInlinePolicyToPermissionSetInput)
                -> PutInlinePolicyToPermissionSetOutput, PutInlinePolicyToPermissionSetError;
            /// `TagResource`: adds tags to a permission set, replacing the values of existing keys.
            write tag_resource(TagResourceInput) -> TagResourceOutput, TagResourceError;
            /// `UntagResource`: removes tags by key from a permission set.
            write untag_resource(UntagResourceInput) -> UntagResourceOutput, UntagResourceError;
            /// `UpdatePermissionSet`: changes the description, session duration or relay state given.
            write update_permission_set(UpdatePermissionSetInput)
                -> UpdatePermissionSetOutput, UpdatePermissionSetError;
        }
    };
}
