"""The web layer: blueprints, forms, templates and static files that adapt HTTP to the domain and store."""
