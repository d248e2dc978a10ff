"""HTTP: routers that parse input, call one use case and shape the output."""
