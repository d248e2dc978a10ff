"""kasane staff portal (窓口ポータル): Japanese pages rendered on the server over the seven
services' APIs, called with the signed-in user's own token (docs/architecture/portal.md)."""
