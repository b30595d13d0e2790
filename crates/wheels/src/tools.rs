//! Wheels' PAM tools: each a typed input and a thin call into the same services the REST routes use.

use pam_kernel::Tool;

use crate::{WheelsState, tools_travel, tools_vehicles};

pub fn tools(state: &WheelsState) -> Vec<Tool> {
    let mut tools = tools_travel::tools(state);
    tools.extend(tools_vehicles::tools(state));
    tools
}
