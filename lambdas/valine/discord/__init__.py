"""Discord interactions: names from the API documentation, signature check, builders."""
