"""The visit wizard: the rule check before a visit, check-in, the script one step at a time, evidence."""
