"""Intake: read the county submissions, normalise and validate them against the codebook, and
write the cleaned round (projects, allocations, county answers) with its rejects and ledger."""
