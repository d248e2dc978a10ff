"""Where the portal's data comes from: its own database (sessions and sealed tokens only) and
the seven services' HTTP APIs, called as the signed-in user."""
