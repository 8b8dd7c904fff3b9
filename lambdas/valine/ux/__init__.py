"""The UX agent: catalog, request parsing, safe JSX edits and previews."""
