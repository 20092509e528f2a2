//! Resolution order, without a terminal: defaults < saved < flags < prompts.
