//! The modeled AWS errors the emulator answers with, built for the error enum of the operation
//! that answers.
//!
//! The generated crate implements `From<ModeledError> for <Operation>Error` for exactly the
//! errors the model declares for each operation. Every operation of the emulator returns its
//! own generated error enum; what it calls that can fail (a lookup, a check, the pager) returns
//! the one modeled error it fails with, which `?` converts, and the constructors below return
//! any `E` that converts from their error. So the compiler proves that each error an operation
//! can produce is declared by that operation in the model. There is no table to keep and no
//! fallback: an error the model does not declare for the operation does not compile.
//!
//! `ListInstances` declares no `ResourceNotFoundException`, so it cannot produce one (the
//! compiler's error is E0277, "the trait `From<ResourceNotFoundException>` is not implemented
//! for `ListInstancesError`"):
//!
//! ```compile_fail,E0277
//! use sso_admin::operation::list_instances::ListInstancesError as Error;
//! use sso_admin_emulator::error::not_found;
//!
//! fn operation() -> Result<(), Error> {
//!     Err(not_found("Could not find Instance with arn arn:aws:sso:::instance/ssoins-0"))
//! }
//! # operation().unwrap_err();
//! ```
//!
//! The same code for `DescribePermissionSet`, which declares it, compiles (stable rustdoc does
//! not check the error code above, so this twin shows that nothing else fails there):
//!
//! ```
//! use sso_admin::operation::describe_permission_set::DescribePermissionSetError as Error;
//! use sso_admin_emulator::error::not_found;
//!
//! fn operation() -> Result<(), Error> {
//!     Err(not_found("Could not find Instance with arn arn:aws:sso:::instance/ssoins-0"))
//! }
//! # operation().unwrap_err();
//! ```

use sso_admin::types::error::{
    ConflictException, InternalServerException, ResourceNotFoundException,
    ServiceQuotaExceededException, ValidationException,
};

/// HTTP 404 `ResourceNotFoundException`: an instance, permission set, request or resource that
/// does not exist.
pub fn not_found<E: From<ResourceNotFoundException>>(message: impl Into<String>) -> E {
    ResourceNotFoundException::builder()
        .message(message)
        .build()
        .into()
}

/// HTTP 409 `ConflictException`: the request conflicts with the current state (a duplicate
/// name, a resource still in use, ...).
pub fn conflict<E: From<ConflictException>>(message: impl Into<String>) -> E {
    ConflictException::builder().message(message).build().into()
}

/// HTTP 400 `ValidationException`: the request is well-formed for the model but semantically
/// invalid.
pub fn validation<E: From<ValidationException>>(message: impl Into<String>) -> E {
    ValidationException::builder()
        .message(message)
        .build()
        .into()
}

/// HTTP 402 `ServiceQuotaExceededException`: a per-resource or per-instance limit would be
/// exceeded.
pub fn quota<E: From<ServiceQuotaExceededException>>(message: impl Into<String>) -> E {
    ServiceQuotaExceededException::builder()
        .message(message)
        .build()
        .into()
}

/// HTTP 500 `InternalServerException`: the emulator failed (its state could not be saved).
pub fn internal<E: From<InternalServerException>>(message: impl Into<String>) -> E {
    InternalServerException::builder()
        .message(message)
        .build()
        .into()
}

#[cfg(test)]
mod tests {
    use sso_admin::operation::list_instances::ListInstancesError;
    use sso_admin::operation::tag_resource::TagResourceError;

    use super::*;

    #[test]
    fn each_constructor_builds_its_variant_with_the_message() {
        match not_found::<TagResourceError>("gone") {
            TagResourceError::ResourceNotFoundException(error) => {
                assert_eq!(error.message.as_deref(), Some("gone"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            conflict("busy"),
            TagResourceError::ConflictException(_)
        ));
        assert!(matches!(
            quota("too many"),
            TagResourceError::ServiceQuotaExceededException(_)
        ));
        assert!(matches!(
            validation("bad"),
            ListInstancesError::ValidationException(_)
        ));
        assert!(matches!(
            internal("disk"),
            ListInstancesError::InternalServerException(_)
        ));
    }
}
