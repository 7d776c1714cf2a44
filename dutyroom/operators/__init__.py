"""What operators do and who they are: actions, their folded state, roles and identity."""
