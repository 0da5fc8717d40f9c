"""Cross-cutting security: headers, visibility, permission matrix, editor doors."""
