"""The portal's rules: what each staff member may see, how tokens are sealed, how staff
input is read. No I/O."""
