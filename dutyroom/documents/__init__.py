"""What the handover and the period report share: the document model, wording and rendering."""
