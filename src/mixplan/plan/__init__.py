"""The plan format: vocabulary, field types, number limits, the pydantic models and their JSON Schema."""
