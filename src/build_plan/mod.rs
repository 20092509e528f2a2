//! The build plan: what each release builds, and the constraints of the
//! builders it is checked against.

pub(crate) mod constraints;
