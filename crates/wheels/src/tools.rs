//! Wheels' PAM tools: each a typed input and a thin call into the same services the REST routes use.

use pam_kernel::Tool;

use crate::WheelsState;

pub fn tools(state: &WheelsState) -> Vec<Tool> {
    let _ = state;
    Vec::new()
}
