//! The client side of the AWS JSON protocols (work in progress).
