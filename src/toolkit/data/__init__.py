"""The data layer: sources (folder, staged), readers, validation, the unit tree, parameters, table schemas and the sample registry."""
