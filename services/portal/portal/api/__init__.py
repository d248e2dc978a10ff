"""The portal's pages: routes read the form or the URL, call one use case, render one
template. Nothing here decides who may see what (the services do, per call)."""
