//! Managed and inline policies of permission sets.

use super::*;

impl State {
    pub(crate) fn attach_managed_policy_to_permission_set(
        &mut self,
        input: AttachManagedPolicyToPermissionSetInput,
    ) -> Result<AttachManagedPolicyToPermissionSetOutput, AttachManagedPolicyToPermissionSetError>
    {
        self.check_instance(&input.instance_arn)?;
        let policy = input.managed_policy_arn;
        if !ids::is_managed_policy_arn(&policy) {
            return Err(validation(format!(
                "ManagedPolicyArn {policy} is not a valid IAM managed policy ARN"
            )));
        }
        let record = self.permission_set(&input.permission_set_arn)?;
        if record
            .managed_policies
            .iter()
            .any(|(_, arn)| *arn == policy)
        {
            return Err(conflict(format!(
                "Managed policy {policy} is already attached to the permission set"
            )));
        }
        if record.managed_policies.len() >= MAX_MANAGED_POLICIES_PER_PERMISSION_SET {
            return Err(quota(format!(
                "A permission set can have at most {MAX_MANAGED_POLICIES_PER_PERMISSION_SET} managed policies attached"
            )));
        }
        let seq = self.seq();
        self.permission_set_mut(&input.permission_set_arn)?
            .managed_policies
            .push((seq, policy));
        self.mark_outdated(&input.permission_set_arn);
        Ok(AttachManagedPolicyToPermissionSetOutput::builder().build())
    }

    pub(crate) fn detach_managed_policy_from_permission_set(
        &mut self,
        input: DetachManagedPolicyFromPermissionSetInput,
    ) -> Result<DetachManagedPolicyFromPermissionSetOutput, DetachManagedPolicyFromPermissionSetError>
    {
        self.check_instance(&input.instance_arn)?;
        let record = self.permission_set_mut(&input.permission_set_arn)?;
        let policy = input.managed_policy_arn;
        let Some(index) = record
            .managed_policies
            .iter()
            .position(|(_, arn)| *arn == policy)
        else {
            return Err(not_found(format!(
                "Could not find ManagedPolicy with arn {policy} attached to the permission set"
            )));
        };
        record.managed_policies.remove(index);
        self.mark_outdated(&input.permission_set_arn);
        Ok(DetachManagedPolicyFromPermissionSetOutput::builder().build())
    }

    pub(crate) fn list_managed_policies_in_permission_set(
        &self,
        input: ListManagedPoliciesInPermissionSetInput,
    ) -> Result<ListManagedPoliciesInPermissionSetOutput, ListManagedPoliciesInPermissionSetError>
    {
        self.check_instance(&input.instance_arn)?;
        let record = self.permission_set(&input.permission_set_arn)?;
        let pager = Pager::new(
            &self.codec,
            "ListManagedPoliciesInPermissionSet",
            format!("{}\n{}", input.instance_arn, input.permission_set_arn),
            input.max_results,
            input.next_token.as_deref(),
        )?;
        pager.check_seq_bound(self.next_seq)?;
        let items: Vec<_> = record
            .managed_policies
            .iter()
            .map(|(seq, arn)| {
                (
                    Cursor::Seq(*seq),
                    AttachedManagedPolicy::builder()
                        .name(ids::managed_policy_name(arn))
                        .arn(arn.clone())
                        .build(),
                )
            })
            .collect();
        let (policies, next) = pager.page(items);
        Ok(ListManagedPoliciesInPermissionSetOutput::builder()
            .set_attached_managed_policies(Some(policies))
            .set_next_token(next)
            .build())
    }

    pub(crate) fn put_inline_policy_to_permission_set(
        &mut self,
        input: PutInlinePolicyToPermissionSetInput,
    ) -> Result<PutInlinePolicyToPermissionSetOutput, PutInlinePolicyToPermissionSetError> {
        self.check_instance(&input.instance_arn)?;
        self.permission_set(&input.permission_set_arn)?;
        match serde_json::from_str::<serde_json::Value>(&input.inline_policy) {
            Ok(serde_json::Value::Object(_)) => {}
            Ok(_) => {
                return Err(validation(
                    "The InlinePolicy is not a valid policy document: it must be a JSON object",
                ))
            }
            Err(error) => {
                return Err(validation(format!(
                    "The InlinePolicy is not valid JSON: {error}"
                )))
            }
        }
        let record = self.permission_set_mut(&input.permission_set_arn)?;
        record.inline_policy = Some(input.inline_policy);
        self.mark_outdated(&input.permission_set_arn);
        Ok(PutInlinePolicyToPermissionSetOutput::builder().build())
    }

    pub(crate) fn get_inline_policy_for_permission_set(
        &self,
        input: GetInlinePolicyForPermissionSetInput,
    ) -> Result<GetInlinePolicyForPermissionSetOutput, GetInlinePolicyForPermissionSetError> {
        self.check_instance(&input.instance_arn)?;
        let record = self.permission_set(&input.permission_set_arn)?;
        Ok(GetInlinePolicyForPermissionSetOutput::builder()
            .set_inline_policy(record.inline_policy.clone())
            .build())
    }

    pub(crate) fn delete_inline_policy_from_permission_set(
        &mut self,
        input: DeleteInlinePolicyFromPermissionSetInput,
    ) -> Result<DeleteInlinePolicyFromPermissionSetOutput, DeleteInlinePolicyFromPermissionSetError>
    {
        self.check_instance(&input.instance_arn)?;
        let record = self.permission_set_mut(&input.permission_set_arn)?;
        if record.inline_policy.take().is_some() {
            self.mark_outdated(&input.permission_set_arn);
        }
        Ok(DeleteInlinePolicyFromPermissionSetOutput::builder().build())
    }
}
