"""Organizations of the four kinds, their members and invitations."""
