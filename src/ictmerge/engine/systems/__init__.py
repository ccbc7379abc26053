"""Information systems: one system per function, the reform's changes, migration and security class."""
