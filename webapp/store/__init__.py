"""All SQL: one module per aggregate, the schema's migrations and the one transaction() helper."""
