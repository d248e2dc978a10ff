"""indicators' HTTP API: routers that parse input, call one use case, shape output."""
