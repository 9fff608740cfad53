//! The emulator as the server stub's [`SsoAdminService`]: every operation forwards to the
//! [`Emulator`] method of the same name.
//!
//! The protocol layer (`aws-json-server`) has already authenticated, decoded and validated the
//! request when a method here runs; the emulator checks the rest. Nothing here blocks for long:
//! each operation takes the emulator's lock for a few microseconds, so the methods run inline on
//! the runtime's worker threads.

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
use sso_admin::server::{RequestContext, SsoAdminService};

use crate::Emulator;

/// Notes the verified caller, if the server authenticates, in the request's span.
fn trace_caller(context: &RequestContext) {
    if let Some(caller) = &context.caller {
        tracing::debug!(access_key_id = %caller.access_key_id, "authenticated caller");
    }
}

/// `impl SsoAdminService for Emulator`, one forwarding method per operation.
macro_rules! service {
    ($($(#[$doc:meta])* $lock:ident $name:ident($input:ident) -> $output:ident, $error:ident;)*) => {
        impl SsoAdminService for Emulator {
            $(
                async fn $name(
                    &self,
                    input: $input,
                    context: RequestContext,
                ) -> Result<$output, $error> {
                    trace_caller(&context);
                    Emulator::$name(self, input)
                }
            )*
        }
    };
}

with_operations!(service);

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sso_admin::server::service_builder;

    use super::*;

    #[test]
    fn every_operation_is_served() {
        let service = service_builder(Arc::new(Emulator::new()))
            .build_exhaustive::<sso_admin::SsoAdmin>()
            .expect("every operation has a handler");
        assert_eq!(service.operations().len(), 27);
    }
}
