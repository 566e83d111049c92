"""Forms as data: visit scripts, rule packs and notice templates, with their JSON Schemas."""
